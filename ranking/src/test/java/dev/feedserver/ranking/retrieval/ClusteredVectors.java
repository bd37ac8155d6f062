package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import java.util.SplittableRandom;

/** Test data: item vectors around Gaussian centres with varied norms (like learned factors), or uniform noise. */
final class ClusteredVectors {
    private ClusteredVectors() {
    }

    /** A table of {@code n} items; {@code centres == 0} gives isotropic random vectors. */
    static VectorTable table(int n, int dim, int centres, long seed) {
        VectorTable table = new VectorTable(dim, 4_096);
        table.ensureRows(n);
        float[][] means = centres(dim, centres, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            table.write(i, sample(means, dim, random));
        }
        return table;
    }

    /** Queries drawn like the items of the same seed. */
    static float[][] queries(int count, int dim, int centres, long seed) {
        float[][] means = centres(dim, centres, seed);
        SplittableRandom random = new SplittableRandom(seed + 2);
        float[][] out = new float[count][];
        for (int q = 0; q < count; q++) {
            out[q] = sample(means, dim, random);
        }
        return out;
    }

    private static float[][] centres(int dim, int centres, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] means = new float[centres][dim];
        for (float[] mean : means) {
            for (int d = 0; d < dim; d++) {
                mean[d] = (float) random.nextGaussian();
            }
        }
        return means;
    }

    private static float[] sample(float[][] means, int dim, SplittableRandom random) {
        float[] v = new float[dim];
        float[] mean = means.length == 0 ? null : means[random.nextInt(means.length)];
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            v[d] = (mean == null ? 0f : mean[d]) + (mean == null ? 1f : 0.6f) * (float) random.nextGaussian();
            norm += v[d] * v[d];
        }
        float length = (float) (0.5 + random.nextDouble()) / (float) Math.sqrt(norm);
        for (int d = 0; d < dim; d++) {
            v[d] *= length;
        }
        return v;
    }

    /** Exact top-{@code k} rows by inner product, best first. */
    static int[] exactTop(VectorTable table, int n, float[] query, int k) {
        TopK top = new TopK(k);
        new ExactInterestIndex(table, () -> n).search(query, item -> false, top);
        int[] ids = new int[top.size()];
        top.drainDescending(ids, new float[ids.length]);
        return ids;
    }

    /** Exact float inner product of row {@code row} with {@code query}. */
    static float dot(VectorTable table, int row, float[] query) {
        float[] vector = new float[table.dim()];
        table.read(row, vector);
        float sum = 0;
        for (int d = 0; d < vector.length; d++) {
            sum += vector[d] * query[d];
        }
        return sum;
    }

    static double recall(int[] truth, int[] found) {
        java.util.Set<Integer> expected = new java.util.HashSet<>();
        for (int id : truth) {
            expected.add(id);
        }
        int hits = 0;
        for (int id : found) {
            hits += expected.contains(id) ? 1 : 0;
        }
        return hits / (double) truth.length;
    }
}

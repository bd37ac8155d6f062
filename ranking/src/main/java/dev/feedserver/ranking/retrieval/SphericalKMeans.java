package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.Vectors;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Spherical k-means: clusters unit-length vectors by cosine, with centroids re-normalised after
 * each update. Initial centroids are either spread out greedily ({@link Seeding#FARTHEST_FIRST},
 * over a seeded sample of at most 20,000 items, so two true groups rarely start in one cluster:
 * right for a few dozen topic clusters) or distinct random items ({@link Seeding#RANDOM}: balanced
 * partitions, right for the thousand lists of an IVF index). Results are reproducible for a seed.
 * Assignment steps score blocks of vectors against all centroids with one float GEMM each
 * ({@link CentroidAssigner}), in parallel on the common pool. Stateless.
 */
public final class SphericalKMeans {
    private SphericalKMeans() {
    }

    /** Result: unit centroids (k x dim, row-major) and each item's cluster. */
    public record Clusters(int k, int dim, float[] centroids, int[] assignment) {
    }

    /** How the initial centroids are chosen. */
    public enum Seeding {
        /** Each next centroid is the sampled item least similar to those chosen. */
        FARTHEST_FIRST,
        /** Distinct items chosen uniformly at random. */
        RANDOM
    }

    /** Clusters {@code n} vectors of {@code vectors} (row-major, already unit length), farthest-first seeding. */
    public static Clusters fit(float[] vectors, int n, int dim, int k, int iterations, long seed) {
        return fit(vectors, n, dim, k, iterations, seed, Seeding.FARTHEST_FIRST);
    }

    /** Clusters {@code n} vectors of {@code vectors} (row-major, already unit length). */
    public static Clusters fit(float[] vectors, int n, int dim, int k, int iterations, long seed, Seeding seeding) {
        int clusters = Math.max(1, Math.min(k, n));
        SplittableRandom random = new SplittableRandom(seed);
        float[] centroids = seeding == Seeding.FARTHEST_FIRST
                ? farthestFirst(vectors, n, dim, clusters, random)
                : randomItems(vectors, n, dim, clusters, random);
        return iterate(vectors, n, dim, centroids, clusters, iterations, random);
    }

    /**
     * Continues from {@code initial} ({@code k x dim} unit centroids): a rebuild after the
     * catalogue changed, keeping cluster {@code c} about the same region so that anything keyed
     * by cluster number (user affinities) stays meaningful.
     */
    public static Clusters refine(float[] vectors, int n, int dim, float[] initial, int k, int iterations, long seed) {
        return iterate(vectors, n, dim, initial.clone(), k, iterations, new SplittableRandom(seed));
    }

    private static Clusters iterate(float[] vectors, int n, int dim, float[] centroids, int clusters, int iterations,
                                    SplittableRandom random) {
        int[] assignment = new int[n];
        for (int it = 0; it < iterations && n > 0; it++) {
            assignment = new CentroidAssigner(centroids, clusters, dim).assignAll(vectors, n);
            float[] sums = new float[clusters * dim];
            for (int i = 0; i < n; i++) {
                int c = assignment[i];
                for (int d = 0; d < dim; d++) {
                    sums[c * dim + d] += vectors[i * dim + d];
                }
            }
            for (int c = 0; c < clusters; c++) {
                if (!Vectors.normalise(sums, c * dim, dim)) {
                    System.arraycopy(vectors, random.nextInt(n) * dim, sums, c * dim, dim); // empty cluster: reseed
                }
            }
            centroids = sums;
        }
        assignment = new CentroidAssigner(centroids, clusters, dim).assignAll(vectors, n);
        return new Clusters(clusters, dim, centroids, assignment);
    }

    private static float[] randomItems(float[] vectors, int n, int dim, int clusters, SplittableRandom random) {
        float[] centroids = new float[clusters * dim];
        int[] order = IntStream.range(0, n).toArray();
        for (int c = 0; c < clusters && n > 0; c++) {
            int pick = c + random.nextInt(n - c);
            int item = order[pick];
            order[pick] = order[c];
            order[c] = item;
            System.arraycopy(vectors, item * dim, centroids, c * dim, dim);
        }
        return centroids;
    }

    /** Greedy spread-out initial centroids: each next one is the sampled item least similar to those chosen. */
    private static float[] farthestFirst(float[] vectors, int n, int dim, int clusters, SplittableRandom random) {
        int[] sample = random.ints(0, Math.max(1, n)).limit(Math.min(n, 20_000)).toArray();
        float[] centroids = new float[clusters * dim];
        float[] closest = new float[sample.length];
        java.util.Arrays.fill(closest, Float.NEGATIVE_INFINITY);
        int next = sample.length == 0 ? 0 : sample[random.nextInt(sample.length)];
        for (int c = 0; c < clusters; c++) {
            System.arraycopy(vectors, next * dim, centroids, c * dim, dim);
            int farthest = -1;
            for (int s = 0; s < sample.length; s++) {
                float similarity = 0;
                for (int d = 0; d < dim; d++) {
                    similarity += vectors[sample[s] * dim + d] * centroids[c * dim + d];
                }
                closest[s] = Math.max(closest[s], similarity);
                if (farthest < 0 || closest[s] < closest[farthest]) {
                    farthest = s;
                }
            }
            next = farthest < 0 ? next : sample[farthest];
        }
        return centroids;
    }

    /** The centroid with the largest inner product with the vector at {@code offset}. */
    public static int nearest(float[] vectors, int offset, float[] centroids, int k, int dim) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float score = 0;
            for (int d = 0; d < dim; d++) {
                score += vectors[offset + d] * centroids[c * dim + d];
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }
}

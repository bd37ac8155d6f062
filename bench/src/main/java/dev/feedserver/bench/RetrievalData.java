package dev.feedserver.bench;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.embeddings.Vectors;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A seeded synthetic retrieval dataset: item vectors in rows {@code [0, items)} of an off-heap
 * {@link VectorTable} and query (user) vectors, all of {@link #DIM} dimensions.
 *
 * <ul>
 *   <li>{@link Kind#CLUSTERED}, shaped like learned matrix-factorisation factors: {@code clusters}
 *   centres in random directions with uneven weights (log-normal, so cluster sizes vary about
 *   tenfold); an item is its centre's direction plus Gaussian noise of the cluster's own spread
 *   (0.5 to 1.0 of the centre's length), normalised, then scaled to a norm uniform in [0.5, 1.5].
 *   A user sits near one centre, or (half of them) between two, with noise of spread 0.5.</li>
 *   <li>{@link Kind#RANDOM}: directions uniform on the sphere (no structure at all, the hardest
 *   case for any index), with the same item norms; queries likewise.</li>
 * </ul>
 *
 * <p>Generation runs in parallel in blocks of rows, each block with its own random stream derived
 * from the seed and the block number, so the data is the same whatever the thread count.
 *
 * <p>Threading: built on the caller's thread (and the common pool); afterwards read-only and
 * safe to share. Lifecycle: owns the vector table; {@link #close()} frees it (idempotent).
 */
final class RetrievalData implements AutoCloseable {
    static final int DIM = 128;
    private static final int BLOCK_ROWS = 4096;
    private static final int QUERY_STREAM = -1;

    enum Kind {
        CLUSTERED, RANDOM;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int items;
    private final VectorTable table;
    private final float[][] queries;
    private final long seed;
    private final float[] centres;
    private final float[] spreads;
    private final double[] cumulativeWeights;

    private RetrievalData(Kind kind, int items, int queryCount, int clusters, long seed) {
        this.kind = kind;
        this.items = items;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        centres = new float[clusters * DIM];
        spreads = new float[clusters];
        cumulativeWeights = new double[clusters];
        double total = 0;
        float[] v = new float[DIM];
        for (int c = 0; c < clusters; c++) {
            unitGaussian(random, v);
            System.arraycopy(v, 0, centres, c * DIM, DIM);
            spreads[c] = (float) (0.5 + 0.5 * random.nextDouble());
            total += Math.exp(random.nextGaussian());
            cumulativeWeights[c] = total;
        }
        table = new VectorTable(DIM, 16_384);
        table.ensureRows(items);
        int blocks = (items + BLOCK_ROWS - 1) / BLOCK_ROWS;
        IntStream.range(0, blocks).parallel().forEach(this::fillBlock);
        SplittableRandom queryRandom = stream(QUERY_STREAM);
        queries = new float[queryCount][DIM];
        for (float[] query : queries) {
            query(queryRandom, query);
        }
    }

    /** Generates {@code items} items and {@code queries} queries; {@code clusters} matters for {@link Kind#CLUSTERED} only. */
    static RetrievalData generate(Kind kind, int items, int queries, int clusters, long seed) {
        return new RetrievalData(kind, items, queries, clusters, seed);
    }

    Kind kind() {
        return kind;
    }

    int items() {
        return items;
    }

    VectorTable table() {
        return table;
    }

    /** The query vectors (callers must not modify them). */
    float[][] queries() {
        return queries;
    }

    int clusters() {
        return spreads.length;
    }

    String description() {
        return kind == Kind.CLUSTERED
                ? String.format(Locale.ROOT, "%,d items of %d dims around %d Gaussian centres (random directions, log-normal "
                        + "weights so cluster sizes vary; per-cluster noise spread uniform 0.5-1.0 of the unit centre, then "
                        + "normalised); item norms uniform in [0.5, 1.5]. Queries (users): near one centre, or for half of them "
                        + "a random mix (0.3-0.7) of two, plus noise of spread 0.5, norms uniform in [0.5, 1.5]. Seed %d.",
                        items, DIM, clusters(), seed)
                : String.format(Locale.ROOT, "%,d items of %d dims, directions uniform on the sphere (normalised Gaussian), "
                        + "norms uniform in [0.5, 1.5]; queries drawn the same way. Seed %d.", items, DIM, seed);
    }

    @Override
    public void close() {
        table.close();
    }

    private void fillBlock(int block) {
        SplittableRandom random = stream(block);
        float[] v = new float[DIM];
        int end = Math.min(items, (block + 1) * BLOCK_ROWS);
        for (int row = block * BLOCK_ROWS; row < end; row++) {
            if (kind == Kind.CLUSTERED) {
                int c = pickCluster(random);
                aroundCentres(random, v, c, c, 1, spreads[c]);
            } else {
                unitGaussian(random, v);
            }
            scale(v, (float) (0.5 + random.nextDouble()));
            table.write(row, v);
        }
    }

    private void query(SplittableRandom random, float[] v) {
        if (kind == Kind.CLUSTERED) {
            int a = pickCluster(random);
            boolean mixed = random.nextBoolean();
            int b = mixed ? pickCluster(random) : a;
            float t = mixed ? (float) (0.3 + 0.4 * random.nextDouble()) : 1;
            aroundCentres(random, v, a, b, t, 0.5f);
        } else {
            unitGaussian(random, v);
        }
        scale(v, (float) (0.5 + random.nextDouble()));
    }

    /** {@code v = normalise(t * centre[a] + (1 - t) * centre[b] + spread * gaussian / sqrt(DIM))}. */
    private void aroundCentres(SplittableRandom random, float[] v, int a, int b, float t, float spread) {
        float noise = spread / (float) Math.sqrt(DIM);
        for (int d = 0; d < DIM; d++) {
            v[d] = t * centres[a * DIM + d] + (1 - t) * centres[b * DIM + d] + noise * (float) random.nextGaussian();
        }
        Vectors.normalise(v);
    }

    private int pickCluster(SplittableRandom random) {
        double x = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        int at = Arrays.binarySearch(cumulativeWeights, x);
        return Math.min(cumulativeWeights.length - 1, at >= 0 ? at : -at - 1);
    }

    private SplittableRandom stream(int block) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + block);
    }

    private static void unitGaussian(SplittableRandom random, float[] v) {
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) random.nextGaussian();
        }
        Vectors.normalise(v);
    }

    private static void scale(float[] v, float factor) {
        for (int d = 0; d < v.length; d++) {
            v[d] *= factor;
        }
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

/**
 * Assigns vectors to the centroid with the largest inner product, a block of rows at a time:
 * one float GEMM call ({@link Int8Gemm#gemmF32}, native when the library loads) scores a block
 * against every centroid, then a scan keeps each row's best. This is what makes k-means over a
 * million items with a thousand centroids take seconds rather than minutes.
 *
 * <p>Threading: immutable centroids; {@link #assign} is thread-safe (per-thread scratch), and
 * {@link #assignAll} spreads blocks over the common pool. Lifecycle: off-heap memory comes from
 * automatic arenas and is freed with the object.
 */
public final class CentroidAssigner {
    /** Rows scored per GEMM call: 512 x 4,096 centroids x 4 B = 8 MiB of scores at most. */
    public static final int BLOCK_ROWS = 512;

    private final int k;
    private final int dim;
    private final MemorySegment centroids;
    private final Int8Gemm gemm = Int8Gemm.get();
    private final ThreadLocal<MemorySegment> scores;
    private final ThreadLocal<MemorySegment> rows;

    /** {@code centroids} is {@code k x dim}, row-major. */
    public CentroidAssigner(float[] centroids, int k, int dim) {
        if (k < 1 || dim < 1 || centroids.length < k * dim) {
            throw new IllegalArgumentException("need k >= 1, dim >= 1 and k*dim centroid values; k=" + k + " dim=" + dim);
        }
        this.k = k;
        this.dim = dim;
        this.centroids = Arena.ofAuto().allocate((long) k * dim * Float.BYTES, 64);
        MemorySegment.copy(centroids, 0, this.centroids, ValueLayout.JAVA_FLOAT, 0, k * dim);
        this.scores = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate((long) BLOCK_ROWS * k * Float.BYTES, 64));
        this.rows = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate((long) BLOCK_ROWS * dim * Float.BYTES, 64));
    }

    public int k() {
        return k;
    }

    /**
     * Assigns {@code m <= BLOCK_ROWS} rows of {@code block} ({@code dim} floats each, contiguous)
     * to their best centroid, writing {@code out[outOffset + i]}; ties keep the lower centroid.
     */
    public void assign(MemorySegment block, int m, int[] out, int outOffset) {
        if (m < 0 || m > BLOCK_ROWS) {
            throw new IllegalArgumentException("block of " + m + " rows, at most " + BLOCK_ROWS);
        }
        if (m == 0) {
            return;
        }
        MemorySegment s = scores.get();
        gemm.gemmF32(block, m, dim, dim, centroids, k, dim, null, Int8Gemm.Activation.NONE, s, k);
        for (int i = 0; i < m; i++) {
            long base = (long) i * k;
            int best = 0;
            float bestScore = s.getAtIndex(ValueLayout.JAVA_FLOAT, base);
            for (int c = 1; c < k; c++) {
                float score = s.getAtIndex(ValueLayout.JAVA_FLOAT, base + c);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            out[outOffset + i] = best;
        }
    }

    /** Assigns {@code n} row-major vectors of {@code vectors} in parallel blocks. */
    public int[] assignAll(float[] vectors, int n) {
        return assignBlocks(n, (start, m, block) ->
                MemorySegment.copy(vectors, start * dim, block, ValueLayout.JAVA_FLOAT, 0, m * dim));
    }

    /**
     * Assigns rows {@code [0, items)} of {@code table} by direction (each row normalised to unit
     * length first), reading them in parallel blocks without a heap copy of the table.
     */
    public int[] assignRows(VectorTable table, int items) {
        if (table.dim() != dim) {
            throw new IllegalArgumentException("table dim " + table.dim() + " != centroid dim " + dim);
        }
        VectorKernels kernels = VectorKernels.get();
        return assignBlocks(items, (start, m, block) -> {
            for (int i = 0; i < m; i++) {
                table.copyRowTo(start + i, block, (long) i * dim * Float.BYTES);
            }
            kernels.l2Normalize(block, m, dim, dim);
        });
    }

    /** Fills a block of rows {@code [start, start + m)} into {@code block}. */
    @FunctionalInterface
    private interface BlockFiller {
        void fill(int start, int m, MemorySegment block);
    }

    private int[] assignBlocks(int n, BlockFiller filler) {
        int[] out = new int[n];
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int start = b * BLOCK_ROWS;
            int m = Math.min(BLOCK_ROWS, n - start);
            MemorySegment block = rows.get();
            filler.fill(start, m, block);
            assign(block, m, out, start);
        });
        return out;
    }
}

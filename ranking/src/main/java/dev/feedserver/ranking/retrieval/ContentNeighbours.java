package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.OffHeapCodes;
import dev.feedserver.nativelib.Quantizer;
import dev.feedserver.nativelib.VectorKernels;
import dev.feedserver.ranking.catalog.ItemContent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;

/**
 * Brute-force content nearest neighbours of one embedding over every embedded item: the query is
 * quantized to int8 once, each 16,384-row chunk of {@link ItemContent}'s off-heap codes is scored
 * in one native {@code dotS8Batch} call (exact int32 dot products), and each eligible row's
 * cosine ({@code dot * rowScale * queryScale}, the embeddings being unit vectors) goes through a
 * {@link TopK}. Used once per new item, so it allocates its buffers per call.
 *
 * <p>Threading: stateless; {@link #nearest} may run on any thread, concurrently with writes to
 * the content table (a row written mid-scan perturbs its own score once).
 */
public final class ContentNeighbours {
    private final VectorKernels kernels = VectorKernels.get();

    /** Neighbours found, best first: rows and their (int8-approximate) content cosines. */
    public record Result(int[] rows, float[] cosines) {
        public int count() {
            return rows.length;
        }
    }

    /**
     * The at most {@code k} rows below {@code rowLimit} with the highest content cosine to
     * {@code embedding} (a unit vector of the content's width) among those {@code eligible}
     * accepts, keeping only cosines at or above {@code minCosine}.
     */
    public Result nearest(ItemContent content, float[] embedding, int rowLimit, int k, float minCosine, IntPredicate eligible) {
        int dim = content.dimension();
        if (dim == 0) {
            return new Result(new int[0], new float[0]);
        }
        if (embedding.length != dim) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " floats, the content width is " + dim);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        OffHeapCodes codes = content.scanCodes();
        int rows = Math.min(rowLimit, codes.rows());
        TopK top = new TopK(k);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment query = arena.allocate((long) dim * Float.BYTES, 64);
            MemorySegment queryCodes = arena.allocate(dim, 64);
            MemorySegment queryScale = arena.allocate(Float.BYTES, 64);
            MemorySegment.copy(embedding, 0, query, ValueLayout.JAVA_FLOAT, 0, dim);
            Quantizer.get().quantizeS8Rows(query, 1, dim, dim, queryScale, queryCodes);
            float scale = queryScale.get(ValueLayout.JAVA_FLOAT, 0);
            MemorySegment dots = arena.allocate((long) codes.rowsPerChunk() * Integer.BYTES, 64);
            int[] dot = new int[codes.rowsPerChunk()];
            float[] rowScales = new float[codes.rowsPerChunk()];
            for (int chunk = 0; chunk < codes.chunkCount(rows); chunk++) {
                int n = codes.rowsInChunk(chunk, rows);
                kernels.dotS8Batch(codes.chunk(chunk), n, codes.rowStride(), queryCodes, dim, dots);
                MemorySegment.copy(dots, ValueLayout.JAVA_INT, 0, dot, 0, n);
                codes.copyChunkScales(chunk, rowScales);
                int base = chunk * codes.rowsPerChunk();
                for (int i = 0; i < n; i++) {
                    float cosine = dot[i] * rowScales[i] * scale;
                    if (cosine >= minCosine && top.wouldAccept(cosine) && eligible.test(base + i)) {
                        top.offer(base + i, cosine);
                    }
                }
            }
        }
        int[] found = new int[top.size()];
        float[] cosines = new float[found.length];
        top.drainDescending(found, cosines);
        return new Result(found, cosines);
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.nativelib.VectorKernels;
import dev.feedserver.ranking.catalog.ItemCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Interest-based retrieval: the items with the highest inner product with the user vector.
 * Exact (brute force) for now: one native batched dot-product call per catalogue chunk of 16,384
 * items, read in place from the off-heap vector table, then a top-k heap. The ANN index of the
 * retrieval issue replaces the scan behind the same method.
 *
 * <p>Threading: thread-safe; per-thread scratch buffers are kept in a {@link ThreadLocal}.
 */
public final class InterestRetriever {
    private final ItemCatalog catalog;
    private final VectorKernels kernels = VectorKernels.get();
    private final ThreadLocal<Scratch> scratch;

    public InterestRetriever(ItemCatalog catalog) {
        this.catalog = catalog;
        VectorTable table = catalog.vectors();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(table.dim(), table.layout().rowsPerChunk()));
    }

    /** Offers every non-excluded item to {@code top}, scored by {@code dot(user, item)}. */
    public void retrieve(float[] user, ItemFilter filter, TopK top) {
        VectorTable table = catalog.vectors();
        Scratch s = scratch.get();
        MemorySegment.copy(user, 0, s.query, ValueLayout.JAVA_FLOAT, 0, table.dim());
        int items = catalog.size();
        int rowsPerChunk = table.layout().rowsPerChunk();
        for (int chunk = 0; chunk * (long) rowsPerChunk < items; chunk++) {
            int rows = table.rowsInChunk(chunk, items);
            kernels.dotF32Batch(table.chunkVectors(chunk), rows, table.layout().rowStrideFloats(),
                    s.query, table.dim(), s.scores);
            int base = chunk * rowsPerChunk;
            for (int r = 0; r < rows; r++) {
                float score = s.scores.getAtIndex(ValueLayout.JAVA_FLOAT, r);
                if (top.wouldAccept(score) && !filter.excludes(base + r)) {
                    top.offer(base + r, score);
                }
            }
        }
    }

    private static final class Scratch {
        final MemorySegment query;
        final MemorySegment scores;

        Scratch(int dim, int rows) {
            Arena arena = Arena.ofAuto();
            query = arena.allocate((long) dim * Float.BYTES, 64);
            scores = arena.allocate((long) rows * Float.BYTES, 64);
        }
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.nativelib.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntSupplier;

/**
 * Exact interest retrieval by brute force: one native batched float dot-product call per
 * 16,384-row chunk of the off-heap vector table, read in place, then a top-k heap. Linear in the
 * catalogue; the reference the approximate indexes are measured against, and the right choice
 * for small catalogues. Removed items are left out by the caller's filter.
 *
 * <p>Threading: thread-safe; per-thread scratch buffers are kept in a {@link ThreadLocal}.
 * {@link #add} and {@link #remove} have nothing to do: the scan reads the table as it is.
 */
public final class ExactInterestIndex implements InterestIndex {
    private final VectorTable table;
    private final IntSupplier size;
    private final VectorKernels kernels = VectorKernels.get();
    private final ThreadLocal<Scratch> scratch;

    /** Scans rows {@code [0, size.getAsInt())} of {@code table}. */
    public ExactInterestIndex(VectorTable table, IntSupplier size) {
        this.table = table;
        this.size = size;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(table.dim(), table.layout().rowsPerChunk()));
    }

    @Override
    public String name() {
        return "exact-f32";
    }

    @Override
    public void search(float[] query, ItemFilter filter, TopK top) {
        Scratch s = scratch.get();
        MemorySegment.copy(query, 0, s.query, ValueLayout.JAVA_FLOAT, 0, table.dim());
        int items = size.getAsInt();
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

    @Override
    public void add(int item) {
        // The scan reads the table directly.
    }

    @Override
    public void remove(int item) {
        // The caller's filter leaves removed items out.
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

package dev.feedserver.ranking.rank;

import dev.feedserver.embeddings.ConcurrentBitSet;
import dev.feedserver.nativelib.Int8Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;

/**
 * The item part of the ranker's first layer, precomputed per item: row {@code item} holds
 * {@code W_item^T x_item} ({@code hidden1} floats), where {@code x_item} is the item's ITEM block.
 * Computed for the whole catalogue when a model is loaded (one float GEMM per 1,024 items),
 * recomputed when an item is put, and computed on first use for an item the cache has not seen.
 *
 * <p>The rows live in one contiguous off-heap table so the native MLP gathers them itself
 * ({@code fn_mlp_forward_gather}: the row of each candidate by index, plus the request's part,
 * added in layer 0's epilogue), with no per-candidate copy in Java. The table grows by
 * reallocation: a larger table is filled and published, and the old one stays valid for the
 * requests still reading it (both belong to automatic arenas, freed when unreachable).
 *
 * <p>Threading: rows are read without locks: a request racing the recomputation of the same
 * item (it was just put) may read a mix of its old and new partials, for that one score.
 * Writers are serialised. Lifecycle: off-heap memory freed by the garbage collector once the
 * ranker and every in-flight request have let go of it.
 */
final class ItemPartials {
    private static final int BLOCK = 1_024;

    private final RankerModel model;
    private final FeatureAssembler assembler;
    private final int hidden;
    private final int itemWidth;
    private final ConcurrentBitSet ready = new ConcurrentBitSet();
    /** W_item as hidden x itemWidth, output-major, for the float GEMM. */
    private final MemorySegment weights;
    private final ThreadLocal<float[][]> scratch;
    /** The table and its row count, published together. */
    private volatile Table table;
    /** Rows below this were computed by {@link #computeAll}; later changes arrive through {@link #refresh}. */
    private volatile int computedBelow;

    /** One published table: {@code rows} rows of {@code hidden} floats. */
    record Table(MemorySegment rows, int capacity) {
    }

    ItemPartials(RankerModel model, FeatureAssembler assembler) {
        this.model = model;
        this.assembler = assembler;
        this.hidden = model.hidden1();
        this.itemWidth = model.schema().width(FeatureScope.ITEM);
        weights = Arena.ofAuto().allocate((long) hidden * itemWidth * Float.BYTES, 64);
        MemorySegment.copy(model.scopeWeightsOutputMajor(FeatureScope.ITEM), 0, weights, ValueLayout.JAVA_FLOAT, 0, hidden * itemWidth);
        scratch = ThreadLocal.withInitial(() -> new float[][] {new float[itemWidth], new float[hidden]});
        table = new Table(Arena.ofAuto().allocate((long) 1_024 * hidden * Float.BYTES, 64), 1_024);
    }

    /** Computes every row in {@code [0, items)}; {@code progress} gets rows done. */
    void computeAll(int items, IntConsumer progress) {
        ensureCapacity(items);
        MemorySegment rows = table.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate((long) BLOCK * itemWidth * Float.BYTES, 64);
            float[] block = new float[itemWidth];
            for (int start = 0; start < items; start += BLOCK) {
                int n = Math.min(BLOCK, items - start);
                for (int i = 0; i < n; i++) {
                    assembler.writeItem(start + i, block, 0);
                    MemorySegment.copy(block, 0, in, ValueLayout.JAVA_FLOAT, (long) i * itemWidth * Float.BYTES, itemWidth);
                }
                // Straight into the table: rows [start, start + n) are contiguous.
                MemorySegment out = rows.asSlice((long) start * hidden * Float.BYTES, (long) n * hidden * Float.BYTES);
                Int8Gemm.get().gemmF32(in, n, itemWidth, itemWidth, weights, hidden, itemWidth, null,
                        Int8Gemm.Activation.NONE, out, hidden);
                for (int i = 0; i < n; i++) {
                    ready.set(start + i);
                }
                progress.accept(start + n);
            }
        }
        computedBelow = items;
    }

    /** Recomputes one item's row (its features changed). */
    void refresh(int item) {
        float[][] s = scratch.get();
        assembler.writeItem(item, s[0], 0);
        model.partial(FeatureScope.ITEM, s[0], 0, s[1]);
        synchronized (this) {
            ensureCapacity(item + 1);
            MemorySegment.copy(s[1], 0, table.rows(), ValueLayout.JAVA_FLOAT, (long) item * hidden * Float.BYTES, hidden);
        }
        ready.set(item);
    }

    /**
     * The table to gather from, with every row in {@code items[0..n)} computed; the caller
     * passes it (and its capacity as the row count) to the native gather.
     */
    Table tableFor(int[] items, int n) {
        int below = computedBelow;
        for (int i = 0; i < n; i++) {
            if (items[i] >= below && !ready.contains(items[i])) {
                refresh(items[i]);
            }
        }
        return table;
    }

    /** Off-heap bytes of the current table. */
    long bytes() {
        return table.rows().byteSize();
    }

    private synchronized void ensureCapacity(int rows) {
        Table current = table;
        if (rows <= current.capacity()) {
            return;
        }
        int capacity = Math.max(rows, current.capacity() + (current.capacity() >> 1));
        MemorySegment grown = Arena.ofAuto().allocate((long) capacity * hidden * Float.BYTES, 64);
        MemorySegment.copy(current.rows(), 0, grown, 0, current.rows().byteSize());
        table = new Table(grown, capacity);
    }
}

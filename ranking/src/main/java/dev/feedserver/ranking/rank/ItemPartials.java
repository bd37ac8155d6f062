package dev.feedserver.ranking.rank;

import dev.feedserver.embeddings.ConcurrentBitSet;
import dev.feedserver.embeddings.HeapRows;
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
 * <p>Threading: rows live in {@link HeapRows} and are read without locks: a request racing the
 * recomputation of the same item (it was just put) may add a mix of its old and new partials,
 * for that one score. {@link #refresh} and a first-use computation may race for one row; both
 * write the same values. Lifecycle: heap only.
 */
final class ItemPartials implements AutoCloseable {
    private static final int BLOCK = 1_024;

    private final RankerModel model;
    private final FeatureAssembler assembler;
    private final int hidden;
    private final int itemWidth;
    private final HeapRows table;
    private final ConcurrentBitSet ready = new ConcurrentBitSet();
    /** W_item as hidden x itemWidth, output-major, for the float GEMM. */
    private final MemorySegment weights;
    private final ThreadLocal<float[][]> scratch;

    ItemPartials(RankerModel model, FeatureAssembler assembler) {
        this.model = model;
        this.assembler = assembler;
        this.hidden = model.hidden1();
        this.itemWidth = model.schema().width(FeatureScope.ITEM);
        this.table = new HeapRows(hidden);
        int first = model.schema().offset(FeatureScope.ITEM);
        weights = Arena.ofAuto().allocate((long) hidden * itemWidth * Float.BYTES, 64);
        for (int k = 0; k < itemWidth; k++) {
            for (int j = 0; j < hidden; j++) {
                weights.setAtIndex(ValueLayout.JAVA_FLOAT, (long) j * itemWidth + k, model.w0[(first + k) * hidden + j]);
            }
        }
        scratch = ThreadLocal.withInitial(() -> new float[][] {new float[itemWidth], new float[hidden]});
    }

    /** Computes every row in {@code [0, items)}; {@code progress} gets rows done. */
    void computeAll(int items, IntConsumer progress) {
        table.ensureRows(Math.max(1, items));
        Arena arena = Arena.ofConfined();
        try (arena) {
            MemorySegment in = arena.allocate((long) BLOCK * itemWidth * Float.BYTES, 64);
            MemorySegment out = arena.allocate((long) BLOCK * hidden * Float.BYTES, 64);
            float[] block = new float[itemWidth];
            float[] row = new float[hidden];
            for (int start = 0; start < items; start += BLOCK) {
                int n = Math.min(BLOCK, items - start);
                for (int i = 0; i < n; i++) {
                    assembler.writeItem(start + i, block, 0);
                    MemorySegment.copy(block, 0, in, ValueLayout.JAVA_FLOAT, (long) i * itemWidth * Float.BYTES, itemWidth);
                }
                Int8Gemm.get().gemmF32(in, n, itemWidth, itemWidth, weights, hidden, itemWidth, null,
                        Int8Gemm.Activation.NONE, out, hidden);
                for (int i = 0; i < n; i++) {
                    MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, (long) i * hidden * Float.BYTES, row, 0, hidden);
                    table.write(start + i, row);
                    ready.set(start + i);
                }
                progress.accept(start + n);
            }
        }
    }

    /** Recomputes one item's row (its features changed). */
    void refresh(int item) {
        float[][] s = scratch.get();
        assembler.writeItem(item, s[0], 0);
        model.partial(FeatureScope.ITEM, s[0], 0, s[1]);
        table.write(item, s[1]);
        ready.set(item);
    }

    /** Writes item {@code item}'s row plus {@code addend} into {@code dst}, computing the row first if it never was. */
    void addTo(int item, float[] addend, float[] dst) {
        if (!ready.contains(item)) {
            refresh(item);
        }
        table.addTo(item, addend, dst);
    }

    /** Rows computed so far. */
    int computed() {
        return ready.cardinality();
    }

    /** Off-heap bytes of the cache. */
    long bytes() {
        return table.bytes();
    }

    @Override
    public void close() {
        // Heap only: nothing to free.
    }
}

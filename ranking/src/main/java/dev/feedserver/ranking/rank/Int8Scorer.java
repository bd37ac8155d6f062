package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;

/**
 * The served int8 arithmetic over logged examples: the same calls, in the same order, as
 * {@link Int8Ranker#score}, fed from a {@link TrainingSet}'s stored blocks instead of a live
 * request. The candidate blocks go through {@code QuantizedMlp.create(model.candidateLayers(),
 * OUTPUT_LAYER)} (per-output-channel int8 weights, dynamic per-row int8 activations) in one
 * {@link QuantizedMlp#forwardGather} per request; the request part is one native float GEMV and
 * each stored item's part one row of a float GEMM, gathered from a table indexed by item id,
 * as {@code ItemPartials} does. Every row of the float GEMM is summed in the same order whatever
 * batch it comes in, and the MLP is bit-identical across batches and paths, so for the same
 * blocks the logits equal serving's bit for bit ({@code Int8ScorerTest}).
 *
 * <p>Threading: not thread-safe (one set of scratch buffers). Lifecycle: {@link #close} frees
 * the native model (idempotent); the off-heap tables are freed by the garbage collector.
 */
public final class Int8Scorer implements ExampleScorer {
    private static final int ITEM_BLOCK = 1_024;

    private final QuantizedMlp mlp;
    private final Int8Gemm gemm = Int8Gemm.get();
    private final int hidden;
    private final int requestWidth;
    private final int candidateWidth;
    private final MemorySegment requestWeights;
    private final MemorySegment requestBlock;
    private final MemorySegment shared;
    /** Item part by item id: row {@code item} of {@code tableRows} rows of {@code hidden} floats. */
    private final MemorySegment table;
    private final int tableRows;
    private final BitSet stored = new BitSet();
    private MemorySegment candidates;
    private MemorySegment index;
    private MemorySegment scratch;
    private MemorySegment out;
    private int capacity;

    /** Quantizes {@code model} as serving does and computes the item part of every item {@code set} stored. */
    public Int8Scorer(RankerModel model, TrainingSet set) {
        RankerModel.require(model.schema().equals(set.schema()), "the model's features " + model.schema().id()
                + " are not the training set's " + set.schema().id());
        this.hidden = model.hidden1();
        this.requestWidth = model.schema().width(FeatureScope.REQUEST);
        this.candidateWidth = set.candidateWidth();
        Arena arena = Arena.ofAuto();
        requestWeights = arena.allocate((long) hidden * requestWidth * Float.BYTES, 64);
        MemorySegment.copy(model.scopeWeightsOutputMajor(FeatureScope.REQUEST), 0, requestWeights, ValueLayout.JAVA_FLOAT, 0,
                hidden * requestWidth);
        requestBlock = arena.allocate((long) requestWidth * Float.BYTES, 64);
        shared = arena.allocate((long) hidden * Float.BYTES, 64);
        int[] items = set.storedItems();
        tableRows = items.length == 0 ? 1 : items[items.length - 1] + 1;
        table = arena.allocate((long) tableRows * hidden * Float.BYTES, 64);
        fillItemParts(model, set, items);
        for (int item : items) {
            stored.set(item);
        }
        this.mlp = QuantizedMlp.create(model.candidateLayers(), RankerModel.OUTPUT_LAYER);
    }

    /** The item parts as {@code ItemPartials.computeAll} computes them: float GEMMs over blocks of item rows. */
    private void fillItemParts(RankerModel model, TrainingSet set, int[] stored) {
        int itemWidth = model.schema().width(FeatureScope.ITEM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment weights = arena.allocate((long) hidden * itemWidth * Float.BYTES, 64);
            MemorySegment.copy(model.scopeWeightsOutputMajor(FeatureScope.ITEM), 0, weights, ValueLayout.JAVA_FLOAT, 0,
                    hidden * itemWidth);
            MemorySegment in = arena.allocate((long) ITEM_BLOCK * itemWidth * Float.BYTES, 64);
            MemorySegment parts = arena.allocate((long) ITEM_BLOCK * hidden * Float.BYTES, 64);
            for (int start = 0; start < stored.length; start += ITEM_BLOCK) {
                int n = Math.min(ITEM_BLOCK, stored.length - start);
                for (int i = 0; i < n; i++) {
                    MemorySegment.copy(set.itemBlock(stored[start + i]), 0, in, ValueLayout.JAVA_FLOAT,
                            (long) i * itemWidth * Float.BYTES, itemWidth);
                }
                gemm.gemmF32(in, n, itemWidth, itemWidth, weights, hidden, itemWidth, null, Int8Gemm.Activation.NONE, parts, hidden);
                for (int i = 0; i < n; i++) {
                    MemorySegment.copy(parts, (long) i * hidden * Float.BYTES, table,
                            (long) stored[start + i] * hidden * Float.BYTES, (long) hidden * Float.BYTES);
                }
            }
        }
    }

    @Override
    public String name() {
        return "int8";
    }

    /** Bytes of packed int8 weights of the candidate network. */
    public long weightBytes() {
        return mlp.weightBytes();
    }

    @Override
    public void score(float[] request, int[] items, float[] rows, int first, int n, float[] logits) {
        if (n == 0) {
            return;
        }
        ensure(n);
        for (int i = 0; i < n; i++) {
            int item = items[first + i];
            if (item < 0 || !stored.get(item)) {
                throw new IllegalArgumentException("item " + item + " has no stored ITEM block in the training set");
            }
        }
        MemorySegment.copy(request, 0, requestBlock, ValueLayout.JAVA_FLOAT, 0, requestWidth);
        gemm.gemmF32(requestBlock, 1, requestWidth, requestWidth, requestWeights, hidden, requestWidth, null,
                Int8Gemm.Activation.NONE, shared, hidden);
        MemorySegment.copy(rows, first * candidateWidth, candidates, ValueLayout.JAVA_FLOAT, 0, n * candidateWidth);
        MemorySegment.copy(items, first, index, ValueLayout.JAVA_INT, 0, n);
        mlp.forwardGather(candidates, n, candidateWidth, table, hidden, tableRows, index, shared, scratch, out, Objective.COUNT);
        MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, 0, logits, 0, n * Objective.COUNT);
    }

    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        int size = Math.max(n, 256);
        Arena arena = Arena.ofAuto();
        candidates = arena.allocate((long) size * candidateWidth * Float.BYTES, 64);
        index = arena.allocate((long) size * Integer.BYTES, 64);
        scratch = arena.allocate(mlp.scratchBytes(size), 64);
        out = arena.allocate((long) size * Objective.COUNT * Float.BYTES, 64);
        capacity = size;
    }

    @Override
    public void close() {
        mlp.close();
    }
}

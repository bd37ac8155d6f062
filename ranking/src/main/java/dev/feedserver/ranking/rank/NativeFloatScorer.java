package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The float model on the native float GEMM ({@link Int8Gemm#gemmF32}), laid out as serving lays
 * out the int8 one: the request part one GEMV, each stored item's part cached, the candidate
 * block one GEMM per layer; the item and request parts are added, with the ReLU, in one Java
 * pass over the batch. It is the speed reference for "the same network in float on this CPU's
 * vector units"; its logits differ from {@link FloatScorer}'s in rounding only (the GEMM sums in
 * its own order), so quality figures come from {@link FloatScorer}.
 *
 * <p>Threading: not thread-safe. Lifecycle: off-heap buffers in automatic arenas; {@link #close}
 * does nothing.
 */
public final class NativeFloatScorer implements ExampleScorer {
    private final Int8Gemm gemm = Int8Gemm.get();
    private final int h1;
    private final int h2;
    private final int requestWidth;
    private final int candidateWidth;
    private final MemorySegment requestWeights;
    private final MemorySegment[] weights = new MemorySegment[3];
    private final MemorySegment[] biases = new MemorySegment[3];
    private final MemorySegment requestBlock;
    private final MemorySegment requestPart;
    private final float[] request;
    /** Item part by item id, as in {@link FloatScorer}. */
    private final float[][] itemParts;
    private MemorySegment x;
    private MemorySegment a0;
    private MemorySegment a1;
    private MemorySegment out;
    private float[] pre = new float[0];
    private int capacity;

    /** The float network of {@code model} over {@code set}'s stored items. */
    public NativeFloatScorer(RankerModel model, TrainingSet set) {
        RankerModel.require(model.schema().equals(set.schema()), "the model's features " + model.schema().id()
                + " are not the training set's " + set.schema().id());
        h1 = model.hidden1();
        h2 = model.hidden2();
        requestWidth = model.schema().width(FeatureScope.REQUEST);
        candidateWidth = set.candidateWidth();
        Arena arena = Arena.ofAuto();
        requestWeights = floats(arena, model.scopeWeightsOutputMajor(FeatureScope.REQUEST));
        List<QuantizedMlp.Layer> layers = model.candidateLayers();
        for (int l = 0; l < layers.size(); l++) {
            weights[l] = floats(arena, layers.get(l).weights());
            biases[l] = floats(arena, layers.get(l).bias());
        }
        requestBlock = arena.allocate((long) requestWidth * Float.BYTES, 64);
        requestPart = arena.allocate((long) h1 * Float.BYTES, 64);
        request = new float[h1];
        int[] stored = set.storedItems();
        itemParts = new float[stored.length == 0 ? 0 : stored[stored.length - 1] + 1][];
        for (int item : stored) {
            itemParts[item] = new float[h1];
            model.partial(FeatureScope.ITEM, set.itemBlock(item), 0, itemParts[item]);
        }
    }

    @Override
    public String name() {
        return "float-native";
    }

    @Override
    public void score(float[] requestBlockIn, int[] items, float[] rows, int first, int n, float[] logits) {
        if (n == 0) {
            return;
        }
        ensure(n);
        MemorySegment.copy(requestBlockIn, 0, requestBlock, ValueLayout.JAVA_FLOAT, 0, requestWidth);
        gemm.gemmF32(requestBlock, 1, requestWidth, requestWidth, requestWeights, h1, requestWidth, null,
                Int8Gemm.Activation.NONE, requestPart, h1);
        MemorySegment.copy(requestPart, ValueLayout.JAVA_FLOAT, 0, request, 0, h1);
        MemorySegment.copy(rows, first * candidateWidth, x, ValueLayout.JAVA_FLOAT, 0, n * candidateWidth);
        gemm.gemmF32(x, n, candidateWidth, candidateWidth, weights[0], h1, candidateWidth, biases[0],
                Int8Gemm.Activation.NONE, a0, h1);
        MemorySegment.copy(a0, ValueLayout.JAVA_FLOAT, 0, pre, 0, n * h1);
        for (int i = 0; i < n; i++) {
            float[] item = itemParts[items[first + i]];
            int base = i * h1;
            for (int j = 0; j < h1; j++) {
                pre[base + j] = Math.max(0f, (pre[base + j] + item[j]) + request[j]);
            }
        }
        MemorySegment.copy(pre, 0, a0, ValueLayout.JAVA_FLOAT, 0, n * h1);
        gemm.gemmF32(a0, n, h1, h1, weights[1], h2, h1, biases[1], Int8Gemm.Activation.RELU, a1, h2);
        gemm.gemmF32(a1, n, h2, h2, weights[2], Objective.COUNT, h2, biases[2], Int8Gemm.Activation.NONE, out,
                Objective.COUNT);
        MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, 0, logits, 0, n * Objective.COUNT);
    }

    private void ensure(int n) {
        if (n <= capacity) {
            return;
        }
        int size = Math.max(n, 256);
        Arena arena = Arena.ofAuto();
        x = arena.allocate((long) size * candidateWidth * Float.BYTES, 64);
        a0 = arena.allocate((long) size * h1 * Float.BYTES, 64);
        a1 = arena.allocate((long) size * h2 * Float.BYTES, 64);
        out = arena.allocate((long) size * Objective.COUNT * Float.BYTES, 64);
        pre = new float[size * h1];
        capacity = size;
    }

    private static MemorySegment floats(Arena arena, float[] values) {
        MemorySegment segment = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT, 0, values.length);
        return segment;
    }

    @Override
    public void close() {
    }
}

package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.nativelib.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A Java reference of int8 with <em>static</em> activation scales, to show what calibration
 * would cost or gain against serving's dynamic per-row scales. The weights are quantized as
 * {@link QuantizedMlp} quantizes them (per output channel, {@code absmax / 127}, round half
 * even, through {@link Quantizer#quantizeS8}); each layer's input uses one fixed scale,
 * {@code p / 127} where p is the {@code percentile} of |x| over that input in the float model
 * on calibration queries, and values beyond it saturate at +-127. The epilogue keeps
 * serving's float order, {@code ((((float) acc * sa) * sw + bias) + item) + request}, and the
 * request and item parts stay float, as served. Slow (plain Java integer loops): a measuring
 * tool, not a serving path.
 *
 * <p>Threading: not thread-safe. Lifecycle: heap only; {@link #close} does nothing.
 */
public final class StaticInt8Scorer implements ExampleScorer {
    private final RankerModel model;
    private final int candidateWidth;
    private final int[] in;
    private final int[] out;
    private final byte[][] weights = new byte[3][];
    private final float[][] weightScales = new float[3][];
    private final float[][] biases = new float[3][];
    /** Activation scale of each layer's input: the candidate block, hidden 1, hidden 2. */
    private final float[] inputScales;
    private final float[][] itemParts;
    private final float[] requestPart;
    private final byte[] q;
    private final float[] a0;
    private final float[] a1;

    /**
     * Quantizes {@code model} and calibrates its activation scales on the examples of queries
     * {@code [calibrationFrom, calibrationTo)} of {@code set} at {@code percentile} (0 < p <= 100).
     */
    public StaticInt8Scorer(RankerModel model, TrainingSet set, int calibrationFrom, int calibrationTo, double percentile) {
        RankerModel.require(model.schema().equals(set.schema()), "the model's features " + model.schema().id()
                + " are not the training set's " + set.schema().id());
        RankerModel.require(calibrationFrom >= 0 && calibrationFrom < calibrationTo && calibrationTo <= set.queries(),
                "calibration queries [" + calibrationFrom + ", " + calibrationTo + ") must be a non-empty range of the set's "
                        + set.queries());
        RankerModel.require(percentile > 0 && percentile <= 100, "percentile must be in (0, 100], got " + percentile);
        this.model = model;
        this.candidateWidth = set.candidateWidth();
        List<QuantizedMlp.Layer> layers = model.candidateLayers();
        in = new int[layers.size()];
        out = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            QuantizedMlp.Layer layer = layers.get(l);
            in[l] = layer.in();
            out[l] = layer.out();
            biases[l] = layer.bias();
            quantizeWeights(l, layer.weights());
        }
        int[] stored = set.storedItems();
        itemParts = new float[stored.length == 0 ? 0 : stored[stored.length - 1] + 1][];
        for (int item : stored) {
            itemParts[item] = new float[model.hidden1()];
            model.partial(FeatureScope.ITEM, set.itemBlock(item), 0, itemParts[item]);
        }
        requestPart = new float[model.hidden1()];
        q = new byte[Math.max(candidateWidth, model.hidden1())];
        a0 = new float[model.hidden1()];
        a1 = new float[model.hidden2()];
        inputScales = calibrate(set, calibrationFrom, calibrationTo, percentile);
    }

    @Override
    public String name() {
        return "int8-static";
    }

    /** The calibrated activation scales of the three layer inputs. */
    public float[] inputScales() {
        return inputScales.clone();
    }

    /** Per output channel, as {@link QuantizedMlp} does: scale absmax / 127 (1 for a zero row), codes by {@link Quantizer#quantizeS8}. */
    private void quantizeWeights(int l, float[] w) {
        int rows = out[l];
        int cols = in[l];
        weights[l] = new byte[rows * cols];
        weightScales[l] = new float[rows];
        Quantizer quantizer = Quantizer.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment row = arena.allocate((long) cols * Float.BYTES, 64);
            MemorySegment codes = arena.allocate(cols, 64);
            for (int j = 0; j < rows; j++) {
                float absmax = 0f;
                for (int k = 0; k < cols; k++) {
                    absmax = Math.max(absmax, Math.abs(w[j * cols + k]));
                }
                float scale = absmax / 127f;
                scale = scale > 0f ? scale : 1f;
                MemorySegment.copy(w, j * cols, row, ValueLayout.JAVA_FLOAT, 0, cols);
                quantizer.quantizeS8(row, cols, scale, codes);
                MemorySegment.copy(codes, ValueLayout.JAVA_BYTE, 0, weights[l], j * cols, cols);
                weightScales[l][j] = scale;
            }
        }
    }

    /** The percentile of |x| of each layer's input over the calibration examples, in the float model, over 127. */
    private float[] calibrate(TrainingSet set, int from, int to, double percentile) {
        int examples = set.end(to - 1) - set.start(from);
        float[][] values = {new float[examples * candidateWidth], new float[examples * model.hidden1()],
            new float[examples * model.hidden2()]};
        float[] request = new float[model.hidden1()];
        float[] candidatePart = new float[model.hidden1()];
        float[] pre = new float[model.hidden1()];
        float[] hidden = new float[model.hidden2()];
        float[] logits = new float[Objective.COUNT];
        float[] row = new float[candidateWidth];
        int at = 0;
        for (int qy = from; qy < to; qy++) {
            model.partial(FeatureScope.REQUEST, set.request(qy), 0, request);
            for (int e = set.start(qy); e < set.end(qy); e++) {
                System.arraycopy(set.candidateArray(), e * candidateWidth, row, 0, candidateWidth);
                model.partial(FeatureScope.CANDIDATE, row, 0, candidatePart);
                float[] item = itemParts[set.item(e)];
                for (int j = 0; j < pre.length; j++) {
                    pre[j] = request[j] + item[j] + candidatePart[j];
                }
                // Leaves the first hidden layer's output in pre and the second's in hidden.
                model.forwardFromFirstLayer(pre, logits, hidden);
                System.arraycopy(row, 0, values[0], at * candidateWidth, candidateWidth);
                System.arraycopy(pre, 0, values[1], at * pre.length, pre.length);
                System.arraycopy(hidden, 0, values[2], at * hidden.length, hidden.length);
                at++;
            }
        }
        float[] scales = new float[3];
        try (Arena arena = Arena.ofConfined()) {
            for (int l = 0; l < 3; l++) {
                MemorySegment data = arena.allocate((long) values[l].length * Float.BYTES, 64);
                MemorySegment scratch = arena.allocate((long) values[l].length * Float.BYTES, 64);
                MemorySegment.copy(values[l], 0, data, ValueLayout.JAVA_FLOAT, 0, values[l].length);
                float p = Quantizer.get().absPercentile(data, values[l].length, percentile, scratch);
                float scale = p / 127f;
                scales[l] = scale > 0f ? scale : 1f;
            }
        }
        return scales;
    }

    @Override
    public void score(float[] request, int[] items, float[] candidates, int first, int n, float[] logits) {
        model.partial(FeatureScope.REQUEST, request, 0, requestPart);
        for (int i = 0; i < n; i++) {
            float[] item = itemParts[items[first + i]];
            quantize(candidates, (first + i) * candidateWidth, candidateWidth, inputScales[0]);
            for (int j = 0; j < out[0]; j++) {
                float y = epilogue(dot(0, j), 0, j);
                a0[j] = Math.max(0f, (y + item[j]) + requestPart[j]);
            }
            quantize(a0, 0, a0.length, inputScales[1]);
            for (int j = 0; j < out[1]; j++) {
                a1[j] = Math.max(0f, epilogue(dot(1, j), 1, j));
            }
            quantize(a1, 0, a1.length, inputScales[2]);
            for (int h = 0; h < out[2]; h++) {
                logits[i * Objective.COUNT + h] = epilogue(dot(2, h), 2, h);
            }
        }
    }

    /** {@code q = clamp(rint(x / scale), -127, 127)}, the rule of {@link Quantizer#quantizeS8}. */
    private void quantize(float[] x, int offset, int n, float scale) {
        for (int k = 0; k < n; k++) {
            float v = (float) Math.rint(x[offset + k] / scale);
            q[k] = (byte) Math.max(-127f, Math.min(127f, v));
        }
    }

    private int dot(int l, int j) {
        byte[] w = weights[l];
        int cols = in[l];
        int base = j * cols;
        int acc = 0;
        for (int k = 0; k < cols; k++) {
            acc += q[k] * w[base + k];
        }
        return acc;
    }

    /** Serving's epilogue order: {@code (((float) acc * sa) * sw) + bias}. */
    private float epilogue(int acc, int l, int j) {
        return (float) acc * inputScales[l] * weightScales[l][j] + biases[l][j];
    }

    @Override
    public void close() {
    }
}

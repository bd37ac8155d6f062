package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.QuantizedMlp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ranker in float: a multi-layer perceptron with a shared bottom
 * ({@code input -> hidden1 -> hidden2}, ReLU) and one linear output per {@link Objective}
 * (the heads), over the {@link FeatureSchema}'s dense input row.
 *
 * <p>Weights are kept input-major ({@code w0[k * hidden1 + j]} is input k's weight into unit j),
 * so both the forward pass and the gradient updates are contiguous multiply-adds over a layer's
 * outputs, and a zero input costs nothing. Because the first layer is linear before its ReLU,
 * its pre-activation is the sum of one part per {@link FeatureScope}: {@link #partial} computes a
 * scope's part alone, which is how serving computes the request part once per request and the
 * item part once per item (see {@link Int8Ranker}); {@link #forwardDense} is the same function
 * on the whole row, the reference the split path is tested against.
 *
 * <p>Threading: the weights are plain arrays. A model being trained is confined to its trainer's
 * thread; once published (to {@link Int8Ranker} or a file) it is never modified, and concurrent
 * reads are safe. Lifecycle: heap only.
 */
public final class RankerModel {
    /** Default widths of the two shared hidden layers. */
    public static final int DEFAULT_HIDDEN1 = 256;
    public static final int DEFAULT_HIDDEN2 = 128;

    final FeatureSchema schema;
    final int inputs;
    final int hidden1;
    final int hidden2;
    final int heads = Objective.COUNT;
    final float[] w0;
    final float[] b0;
    final float[] w1;
    final float[] b1;
    final float[] wh;
    final float[] bh;
    private final String version;
    private final ObjectiveWeights defaultWeights;
    private final int[] scopeOffset = new int[FeatureScope.values().length];
    private final int[] scopeWidth = new int[FeatureScope.values().length];

    RankerModel(FeatureSchema schema, int hidden1, int hidden2, float[] w0, float[] b0, float[] w1, float[] b1,
                float[] wh, float[] bh, String version, ObjectiveWeights defaultWeights) {
        this.schema = schema;
        this.inputs = schema.width();
        this.hidden1 = hidden1;
        this.hidden2 = hidden2;
        require(w0.length == (long) inputs * hidden1, "w0 must hold inputs x hidden1 = " + inputs * hidden1 + " floats, got " + w0.length);
        require(b0.length == hidden1 && w1.length == hidden1 * hidden2 && b1.length == hidden2
                && wh.length == hidden2 * heads && bh.length == heads, "layer arrays do not match hidden1=" + hidden1 + ", hidden2=" + hidden2);
        require(version != null && !version.isBlank(), "a model needs a version");
        this.w0 = w0;
        this.b0 = b0;
        this.w1 = w1;
        this.b1 = b1;
        this.wh = wh;
        this.bh = bh;
        this.version = version;
        this.defaultWeights = defaultWeights;
        for (FeatureScope scope : FeatureScope.values()) {
            scopeOffset[scope.ordinal()] = schema.offset(scope);
            scopeWidth[scope.ordinal()] = schema.width(scope);
        }
    }

    /**
     * The first-layer weights of one scope as an output-major {@code hidden1 x width} matrix
     * (row j = unit j's weights over the scope's inputs), for a native GEMM of that part.
     */
    public float[] scopeWeightsOutputMajor(FeatureScope scope) {
        return transpose(w0, scopeOffset[scope.ordinal()], scopeWidth[scope.ordinal()], hidden1);
    }

    /** A freshly initialised model (He-normal weights, zero biases; the click head's bias at the base rate's logit). */
    public static RankerModel initialise(FeatureSchema schema, int hidden1, int hidden2, long seed, String version) {
        require(hidden1 >= 1 && hidden2 >= 1, "hidden widths must be >= 1");
        int inputs = schema.width();
        SplittableRandom random = new SplittableRandom(seed);
        return new RankerModel(schema, hidden1, hidden2,
                gaussian(random, inputs * hidden1, Math.sqrt(2.0 / Math.min(inputs, 512))), new float[hidden1],
                gaussian(random, hidden1 * hidden2, Math.sqrt(2.0 / hidden1)), new float[hidden2],
                gaussian(random, hidden2 * Objective.COUNT, Math.sqrt(1.0 / hidden2)), new float[Objective.COUNT],
                version, ObjectiveWeights.DEFAULT);
    }

    /**
     * The model {@link #denseLayers()} describes: the exact inverse, bit for bit (the output-major
     * weights are transposed back to input-major, no arithmetic). The layers must be the ranker's
     * shape: layer 0 reads the model input ({@code schema.width()} floats) with ReLU, layer 1 reads
     * layer 0 with ReLU, layer 2 reads layer 1 with no activation and has {@link Objective#COUNT}
     * outputs (the heads, in {@link Objective} order). A null bias is zeros. The arrays are copied.
     *
     * @throws IllegalArgumentException naming the first way the layers differ from that shape, or
     *                                  if the version is blank
     */
    public static RankerModel fromLayers(FeatureSchema schema, List<QuantizedMlp.Layer> layers, String version,
                                         ObjectiveWeights weights) {
        java.util.Objects.requireNonNull(schema, "schema");
        java.util.Objects.requireNonNull(weights, "weights");
        RankerLayerShape.check(schema, layers);
        QuantizedMlp.Layer l0 = layers.get(0);
        QuantizedMlp.Layer l1 = layers.get(1);
        QuantizedMlp.Layer l2 = layers.get(2);
        // An output-major out x in matrix transposed is the input-major in x out one.
        return new RankerModel(schema, l0.out(), l1.out(),
                transpose(l0.weights(), 0, l0.out(), l0.in()), biasOrZeros(l0),
                transpose(l1.weights(), 0, l1.out(), l1.in()), biasOrZeros(l1),
                transpose(l2.weights(), 0, l2.out(), l2.in()), biasOrZeros(l2),
                version, weights);
    }

    private static float[] biasOrZeros(QuantizedMlp.Layer layer) {
        return layer.bias() == null ? new float[layer.out()] : layer.bias().clone();
    }

    public FeatureSchema schema() {
        return schema;
    }

    public String version() {
        return version;
    }

    public int hidden1() {
        return hidden1;
    }

    public int hidden2() {
        return hidden2;
    }

    /** The objective weights saved with the model (the server's default unless overridden). */
    public ObjectiveWeights defaultWeights() {
        return defaultWeights;
    }

    /** The same weights under another version name and default objective weights. */
    public RankerModel withVersion(String newVersion, ObjectiveWeights weights) {
        return new RankerModel(schema, hidden1, hidden2, w0, b0, w1, b1, wh, bh, newVersion, weights);
    }

    /** Float multiply-adds of one dense forward pass. */
    public long denseMacs() {
        return (long) inputs * hidden1 + (long) hidden1 * hidden2 + (long) hidden2 * heads;
    }

    /**
     * First-layer part of one scope: {@code out[j] = sum_k block[k] * w0[(scopeOffset + k), j]}
     * (no bias), for {@code block} laid out as that scope's block.
     */
    public void partial(FeatureScope scope, float[] block, int blockOffset, float[] out) {
        java.util.Arrays.fill(out, 0, hidden1, 0f);
        int start = scopeOffset[scope.ordinal()];
        int width = scopeWidth[scope.ordinal()];
        for (int k = 0; k < width; k++) {
            float x = block[blockOffset + k];
            if (x != 0f) {
                axpy(x, w0, (start + k) * hidden1, out, 0, hidden1);
            }
        }
    }

    /** Head logits of one dense input row ({@link FeatureSchema#width()} floats at {@code offset}). */
    public void forwardDense(float[] x, int offset, float[] logits) {
        float[] pre = new float[hidden1];
        for (int k = 0; k < inputs; k++) {
            float v = x[offset + k];
            if (v != 0f) {
                axpy(v, w0, k * hidden1, pre, 0, hidden1);
            }
        }
        forwardFromFirstLayer(pre, logits, new float[hidden2]);
    }

    /**
     * Finishes a forward pass from the first layer's pre-activation without bias (the sum of the
     * scope parts): adds the bias, applies ReLU in place, and writes the head logits.
     */
    public void forwardFromFirstLayer(float[] pre, float[] logits, float[] hiddenScratch) {
        for (int j = 0; j < hidden1; j++) {
            pre[j] = Math.max(0f, pre[j] + b0[j]);
        }
        System.arraycopy(b1, 0, hiddenScratch, 0, hidden2);
        for (int k = 0; k < hidden1; k++) {
            if (pre[k] != 0f) {
                axpy(pre[k], w1, k * hidden2, hiddenScratch, 0, hidden2);
            }
        }
        System.arraycopy(bh, 0, logits, 0, heads);
        for (int k = 0; k < hidden2; k++) {
            float a = Math.max(0f, hiddenScratch[k]);
            hiddenScratch[k] = a;
            if (a != 0f) {
                for (int h = 0; h < heads; h++) {
                    logits[h] += a * wh[k * heads + h];
                }
            }
        }
    }

    /** The dense network as layers for {@link QuantizedMlp} or ONNX export (output layer: 2, the heads). */
    public List<QuantizedMlp.Layer> denseLayers() {
        return layers(0, inputs);
    }

    /**
     * The network as served: layer 0 reads only the candidate block (its weights are the
     * candidate columns of the first layer, its bias the first layer's); the request and item
     * parts arrive as layer 0's per-row addend.
     */
    public List<QuantizedMlp.Layer> candidateLayers() {
        return layers(schema.offset(FeatureScope.CANDIDATE), schema.width(FeatureScope.CANDIDATE));
    }

    private List<QuantizedMlp.Layer> layers(int firstInput, int width) {
        List<QuantizedMlp.Layer> layers = new ArrayList<>(3);
        layers.add(new QuantizedMlp.Layer(width, hidden1, transpose(w0, firstInput, width, hidden1), b0.clone(),
                Int8Gemm.Activation.RELU, -1));
        layers.add(new QuantizedMlp.Layer(hidden1, hidden2, transpose(w1, 0, hidden1, hidden2), b1.clone(),
                Int8Gemm.Activation.RELU, 0));
        layers.add(new QuantizedMlp.Layer(hidden2, heads, transpose(wh, 0, hidden2, heads), bh.clone(),
                Int8Gemm.Activation.NONE, 1));
        return layers;
    }

    /** Index of the output layer in {@link #denseLayers()} and {@link #candidateLayers()}. */
    public static final int OUTPUT_LAYER = 2;

    /** Input-major rows [first, first+rows) x cols into output-major cols x rows. */
    private static float[] transpose(float[] inputMajor, int first, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int k = 0; k < rows; k++) {
            int src = (first + k) * cols;
            for (int j = 0; j < cols; j++) {
                out[j * rows + k] = inputMajor[src + j];
            }
        }
        return out;
    }

    static void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    private static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

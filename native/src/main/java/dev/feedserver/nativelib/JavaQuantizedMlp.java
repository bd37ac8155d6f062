package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Pure-Java {@link QuantizedMlp}: the same per-channel weight quantization, per-row activation
 * quantization, exact int32 sums, epilogue arithmetic ({@link EpilogueMath}) and layer-0 addend
 * order (given or gathered, then the shared row) as the native model, so the outputs are
 * bit-identical. Processes one row at a time through all layers, keeping every intermediate in
 * the caller's scratch segment (heap or native).
 */
final class JavaQuantizedMlp extends QuantizedMlp {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final int[] in;
    private final int[] out;
    private final int[] inputLayer;
    private final Int8Gemm.Activation[] activation;
    private final byte[][] weights;       // [layer][j * in + k]
    private final float[][] weightScale;  // [layer][j]
    private final float[][] bias;         // [layer][j] or null
    private final int[] outputs;
    private final long[] layerOffset;     // scratch byte offset of each layer's output row
    private final long qOffset;           // scratch byte offset of the quantized row
    private final long weightBytes;

    JavaQuantizedMlp(List<Layer> layers, int[] outputLayers) {
        super(layers, outputLayers);
        int n = layers.size();
        in = new int[n];
        out = new int[n];
        inputLayer = new int[n];
        activation = new Int8Gemm.Activation[n];
        weights = new byte[n][];
        weightScale = new float[n][];
        bias = new float[n][];
        layerOffset = new long[n];
        long at = 0;
        long packed = 0;
        for (int l = 0; l < n; l++) {
            Layer layer = layers.get(l);
            in[l] = layer.in();
            out[l] = layer.out();
            inputLayer[l] = layer.inputLayer();
            activation[l] = layer.activation();
            bias[l] = layer.bias() == null ? null : layer.bias().clone();
            weights[l] = new byte[layer.in() * layer.out()];
            weightScale[l] = new float[layer.out()];
            MemorySegment src = MemorySegment.ofArray(layer.weights());
            MemorySegment dst = MemorySegment.ofArray(weights[l]);
            for (int j = 0; j < layer.out(); j++) {
                weightScale[l][j] = EpilogueMath.quantizeRow(src, 4L * j * layer.in(), layer.in(), dst,
                        (long) j * layer.in());
            }
            layerOffset[l] = at;
            at += 4L * layer.out();
            packed += PackedWeights.size(layer.out(), layer.in());
        }
        qOffset = at;
        outputs = outputLayers.clone();
        weightBytes = packed;
    }

    @Override
    public long weightBytes() {
        ensureOpen("weightBytes");
        return weightBytes;
    }

    @Override
    void run(MemorySegment x, long rows, long ldx, MemorySegment addend, long ldAdd, MemorySegment index,
             long tableRows, MemorySegment shared, MemorySegment scratch, MemorySegment dst, long ldo) {
        // scratchBytes(rows >= 1) >= qLd + sum(out) * 4 + ...: one row's intermediates fit.
        for (long r = 0; r < rows; r++) {
            long addRow = index == null ? r : index.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r);
            int quantized = Integer.MIN_VALUE;
            float rowScale = 0f;
            for (int l = 0; l < in.length; l++) {
                int k = in[l];
                if (inputLayer[l] != quantized) {
                    MemorySegment src = inputLayer[l] < 0 ? x : scratch;
                    long from = inputLayer[l] < 0 ? 4L * r * ldx : layerOffset[inputLayer[l]];
                    rowScale = EpilogueMath.quantizeRow(src, from, k, scratch, qOffset);
                    quantized = inputLayer[l];
                }
                byte[] w = weights[l];
                float[] ws = weightScale[l];
                float[] b = bias[l];
                boolean add = l == 0 && addend != null;
                for (int j = 0; j < out[l]; j++) {
                    int acc = 0;
                    int base = j * k;
                    for (int kk = 0; kk < k; kk++) {
                        acc += scratch.get(ValueLayout.JAVA_BYTE, qOffset + kk) * w[base + kk];
                    }
                    float y;
                    if (add) { // as native: the epilogue without activation, + addend (+ shared), then act
                        y = EpilogueMath.toFloat(acc, true, rowScale, ws[j], b != null, b == null ? 0f : b[j],
                                Int8Gemm.Activation.NONE);
                        y = y + addend.get(F32, 4L * (addRow * ldAdd + j));
                        if (shared != null) {
                            y = y + shared.get(F32, 4L * j);
                        }
                        y = EpilogueMath.activate(y, activation[l]);
                    } else {
                        y = EpilogueMath.toFloat(acc, true, rowScale, ws[j], b != null, b == null ? 0f : b[j],
                                activation[l]);
                    }
                    scratch.set(F32, layerOffset[l] + 4L * j, y);
                }
            }
            long col = 0;
            for (int l : outputs) {
                MemorySegment.copy(scratch, layerOffset[l], dst, 4L * (r * ldo + col), 4L * out[l]);
                col += out[l];
            }
        }
    }

    @Override
    void free() {
        // heap only: nothing to release
    }
}

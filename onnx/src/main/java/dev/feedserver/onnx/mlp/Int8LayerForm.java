package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.nativelib.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * An int8 layer in ONNX Runtime's dynamic-quantization form, the graph its
 * {@code quantize_dynamic} tool writes and its optimizer fuses into one
 * {@code DynamicQuantizeMatMul}:
 * <pre>
 * DynamicQuantizeLinear(x) -> x_q (uint8), x_scale, x_zero_point     per tensor, asymmetric
 * MatMulInteger(x_q, W_q, x_zero_point) -> int32                      W_q int8 [in, out]
 * Cast(to float) -> Mul(x_scale * w_scale) -> Add(bias)               w_scale per output channel
 * </pre>
 * The weights are quantized as the ranker's int8 MLP quantizes them ({@link Quantizer#quantizeS8Rows}:
 * per output channel, symmetric, {@code scale = absmax / 127}), so both hold the same int8
 * weights; they differ in the activations, which ONNX quantizes once per tensor (the whole
 * batch, uint8 with a zero point) where the ranker quantizes each row (int8, symmetric).
 * QLinearMatMul is not used: it needs a fixed output scale, that is calibration data we do not have.
 */
record Int8LayerForm() implements LayerForm {

    @Override
    public String name() {
        return "int8";
    }

    @Override
    public String write(OnnxGraphWriter g, String prefix, Layer layer, String input) {
        int in = layer.in();
        int out = layer.out();
        byte[] transposed = new byte[in * out];
        float[] scales = new float[out];
        quantizeRows(layer, transposed, scales);
        String weights = g.initializer(OnnxTensors.int8s(prefix + ".weight_q", transposed, in, out));
        String weightScale = g.initializer(OnnxTensors.floats(prefix + ".weight_scale", scales, out));

        String xq = prefix + ".x_q";
        String xScale = prefix + ".x_scale";
        String xZero = prefix + ".x_zero_point";
        g.node("DynamicQuantizeLinear", prefix + ".quantize", List.of(input), List.of(xq, xScale, xZero));
        String acc = g.node("MatMulInteger", prefix + ".matmul", List.of(xq, weights, xZero), prefix + ".acc");
        String accF = g.node("Cast", prefix + ".cast", List.of(acc), prefix + ".acc_f",
                OnnxGraphWriter.intAttribute("to", 1));
        String scale = g.node("Mul", prefix + ".scale", List.of(xScale, weightScale), prefix + ".scale_out");
        String y = g.node("Mul", prefix + ".dequantize", List.of(accF, scale), prefix + ".linear_nobias");
        if (layer.bias() == null) {
            return y;
        }
        String bias = g.initializer(OnnxTensors.floats(prefix + ".bias", layer.bias(), out));
        return g.node("Add", prefix + ".bias_add", List.of(y, bias), prefix + ".linear");
    }

    /** Per-row int8 of the out x in weights, written transposed (in x out) for MatMulInteger. */
    private static void quantizeRows(Layer layer, byte[] transposed, float[] scales) {
        int in = layer.in();
        int out = layer.out();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocateFrom(ValueLayout.JAVA_FLOAT, layer.weights());
            MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, out);
            MemorySegment q = arena.allocate((long) in * out);
            Quantizer.get().quantizeS8Rows(w, out, in, in, s, q);
            MemorySegment.copy(s, ValueLayout.JAVA_FLOAT, 0, scales, 0, out);
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < in; k++) {
                    transposed[k * out + j] = q.get(ValueLayout.JAVA_BYTE, (long) j * in + k);
                }
            }
        }
    }
}

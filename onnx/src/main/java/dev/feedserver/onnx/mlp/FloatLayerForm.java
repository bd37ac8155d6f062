package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * A float layer as one {@code Gemm(x, W, b)} with {@code transB = 1}: the weights stay out x in,
 * exactly as the ranker holds them, so the exported floats are the layer's own bits.
 */
record FloatLayerForm() implements LayerForm {

    @Override
    public String name() {
        return "float";
    }

    @Override
    public String write(OnnxGraphWriter g, String prefix, Layer layer, String input) {
        List<String> inputs = new ArrayList<>(3);
        inputs.add(input);
        inputs.add(g.initializer(OnnxTensors.floats(prefix + ".weight", layer.weights(), layer.out(), layer.in())));
        if (layer.bias() != null) {
            inputs.add(g.initializer(OnnxTensors.floats(prefix + ".bias", layer.bias(), layer.out())));
        }
        return g.node("Gemm", prefix + ".gemm", inputs, prefix + ".linear", OnnxGraphWriter.intAttribute("transB", 1));
    }
}

package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a ranker MLP (the layers and output layers {@code QuantizedMlp} takes) as an ONNX model
 * that ONNX Runtime and other ONNX tools run: input {@code features} float [batch, in], output
 * {@code scores} float [batch, sum of the output layers' widths], the output layers' outputs
 * concatenated in order. Opset 17, IR version 8. Two forms:
 * <ul>
 *   <li>{@link #exportFloat}: each layer a {@code Gemm} ({@code transB = 1}, weights out x in as
 *       given, bit for bit), then its activation;
 *   <li>{@link #exportInt8}: each layer in ONNX Runtime's dynamic-quantization form (see
 *       {@link Int8LayerForm}), then its activation.
 * </ul>
 * Activations: NONE, RELU ({@code Relu}), SILU ({@code y * Sigmoid(y)}), GELU tanh form (see
 * {@link ActivationNodes}). The producer, model version, head names and feature schema id of
 * {@link MlpExportInfo} go into the model header and metadata.
 *
 * <p>Threading: stateless and thread-safe; the arguments are only read.
 */
public final class OnnxMlpExporter {

    private OnnxMlpExporter() {
    }

    /**
     * The float model.
     *
     * @throws IllegalArgumentException if the layers break the MLP rules or the head names do not
     *                                  match the output layers
     */
    public static byte[] exportFloat(List<Layer> layers, int[] outputLayers, MlpExportInfo info) {
        return export(layers, outputLayers, info, new FloatLayerForm());
    }

    /**
     * The int8 model (dynamic quantization: weights int8 per output channel, activations uint8
     * per tensor at run time).
     *
     * @throws IllegalArgumentException as {@link #exportFloat}
     */
    public static byte[] exportInt8(List<Layer> layers, int[] outputLayers, MlpExportInfo info) {
        return export(layers, outputLayers, info, new Int8LayerForm());
    }

    private static byte[] export(List<Layer> layers, int[] outputLayers, MlpExportInfo info, LayerForm form) {
        MlpChecks.validate(layers, outputLayers);
        if (!info.headNames().isEmpty() && info.headNames().size() != outputLayers.length) {
            throw new IllegalArgumentException("info has " + info.headNames().size() + " head names but there are "
                    + outputLayers.length + " output layers");
        }
        OnnxGraphWriter g = new OnnxGraphWriter("feedserver_ranker_mlp");
        String[] outputs = new String[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            String prefix = "layer" + l;
            String input = layer.inputLayer() < 0 ? OnnxGraphWriter.INPUT : outputs[layer.inputLayer()];
            String linear = form.write(g, prefix, layer, input);
            outputs[l] = ActivationNodes.apply(g, prefix, linear, layer.activation());
        }
        List<String> heads = new ArrayList<>(outputLayers.length);
        int[] widths = new int[outputLayers.length];
        for (int o = 0; o < outputLayers.length; o++) {
            heads.add(outputs[outputLayers[o]]);
            widths[o] = layers.get(outputLayers[o]).out();
        }
        // Concat even for one head: the output keeps one name and one node kind in every model.
        g.node("Concat", "heads.concat", heads, OnnxGraphWriter.OUTPUT, OnnxGraphWriter.intAttribute("axis", 1));
        return g.model(info, form.name(), MlpChecks.inputWidth(layers), MlpChecks.outputWidth(layers, outputLayers),
                widths);
    }
}

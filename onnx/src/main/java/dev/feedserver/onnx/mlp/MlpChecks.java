package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.List;

/**
 * The structural rules of a ranker MLP, as {@code QuantizedMlp} enforces them: layers form a
 * tree over the model input (each reads the input or an earlier layer, widths agree), weights
 * and biases have the right sizes and are finite, output layers exist. The exporter checks its
 * argument and the importer its result with these, so both hand over only models the int8
 * ranker would accept.
 *
 * <p>Threading: stateless static helpers.
 */
final class MlpChecks {

    private MlpChecks() {
    }

    /** @throws IllegalArgumentException naming the first broken rule */
    static void validate(List<Layer> layers, int[] outputLayers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("at least one layer is required");
        }
        if (outputLayers == null || outputLayers.length == 0) {
            throw new IllegalArgumentException("at least one output layer is required");
        }
        int inDim = -1;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer == null) {
                throw new IllegalArgumentException("layer " + i + " is null");
            }
            if (layer.in() < 1 || layer.out() < 1) {
                throw new IllegalArgumentException("layer " + i + ": in and out must be >= 1 (got in=" + layer.in()
                        + ", out=" + layer.out() + ")");
            }
            int source = layer.inputLayer();
            if (source < -1 || source >= i) {
                throw new IllegalArgumentException("layer " + i + ": inputLayer must be -1 (the model input) or an "
                        + "earlier layer (got " + source + ")");
            }
            int expectedIn = source < 0 ? (inDim < 0 ? layer.in() : inDim) : layers.get(source).out();
            if (layer.in() != expectedIn) {
                throw new IllegalArgumentException("layer " + i + ": in=" + layer.in() + " but its input "
                        + (source < 0 ? "(the model input)" : "(layer " + source + ")") + " has width " + expectedIn);
            }
            if (source < 0) {
                inDim = layer.in();
            }
            if (layer.weights().length != (long) layer.in() * layer.out()) {
                throw new IllegalArgumentException("layer " + i + ": weights has " + layer.weights().length
                        + " floats but out x in = " + (long) layer.out() * layer.in());
            }
            if (layer.bias() != null && layer.bias().length != layer.out()) {
                throw new IllegalArgumentException("layer " + i + ": bias has " + layer.bias().length
                        + " floats but out=" + layer.out());
            }
            requireFinite(layer.weights(), i, "weights");
            if (layer.bias() != null) {
                requireFinite(layer.bias(), i, "bias");
            }
        }
        for (int o = 0; o < outputLayers.length; o++) {
            if (outputLayers[o] < 0 || outputLayers[o] >= layers.size()) {
                throw new IllegalArgumentException("outputLayers[" + o + "] must be a layer index 0.."
                        + (layers.size() - 1) + " (got " + outputLayers[o] + ")");
            }
        }
    }

    /** The model input width (the in of the first layer reading the input). */
    static int inputWidth(List<Layer> layers) {
        for (Layer layer : layers) {
            if (layer.inputLayer() < 0) {
                return layer.in();
            }
        }
        throw new IllegalArgumentException("no layer reads the model input");
    }

    /** The sum of the output layers' widths. */
    static int outputWidth(List<Layer> layers, int[] outputLayers) {
        long total = 0;
        for (int l : outputLayers) {
            total += layers.get(l).out();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("total output width " + total + " overflows int");
        }
        return (int) total;
    }

    private static void requireFinite(float[] values, int layer, String what) {
        for (int e = 0; e < values.length; e++) {
            if (!Float.isFinite(values[e])) {
                throw new IllegalArgumentException("layer " + layer + ": " + what + "[" + e + "] is not finite");
            }
        }
    }
}

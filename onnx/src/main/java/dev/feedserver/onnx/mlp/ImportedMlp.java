package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ranker MLP read from an ONNX model by {@link OnnxMlpImporter}: layers and output layers as
 * {@code QuantizedMlp.create} takes them, what the model says about itself, and all its metadata
 * properties.
 *
 * @param layers       the dense layers, in the graph's order (each reads the input or an earlier layer)
 * @param outputLayers the layers whose outputs, concatenated, form the model's output
 * @param info         producer and model version from the model header; head names and feature
 *                     schema id from the metadata (empty when absent); every other metadata
 *                     property as its {@code properties}
 * @param metadata     every metadata property of the model
 */
public record ImportedMlp(List<Layer> layers, int[] outputLayers, MlpExportInfo info, Map<String, String> metadata) {

    /** Copies the lists and the array. */
    public ImportedMlp {
        layers = List.copyOf(layers);
        outputLayers = outputLayers.clone();
        Objects.requireNonNull(info, "info");
        metadata = Map.copyOf(metadata);
    }

    /** A copy of the output layer indexes. */
    @Override
    public int[] outputLayers() {
        return outputLayers.clone();
    }
}

package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.util.List;

/**
 * The one layer shape a {@link RankerModel} is: {@code schema.width() -> hidden1 (ReLU) ->
 * hidden2 (ReLU) -> Objective.COUNT (linear)}, a chain as {@link RankerModel#denseLayers()}
 * writes it. {@link #check} refuses any other list of layers, naming the first difference, so
 * {@link RankerModel#fromLayers} never builds a model that computes something else.
 *
 * <p>Threading: stateless static helpers.
 */
final class RankerLayerShape {

    private RankerLayerShape() {
    }

    /** @throws IllegalArgumentException naming the first way {@code layers} differ from the ranker's shape */
    static void check(FeatureSchema schema, List<Layer> layers) {
        if (layers == null || layers.size() != 3) {
            throw new IllegalArgumentException("a ranker is 3 dense layers (two hidden, one head layer); got "
                    + (layers == null ? "none" : layers.size()));
        }
        Layer first = layers.get(0);
        if (first.in() != schema.width()) {
            throw new IllegalArgumentException("layer 0 reads " + first.in() + " inputs but feature schema "
                    + schema.id() + " is " + schema.width() + " floats wide");
        }
        layer(layers, 0, -1, first.in(), Activation.RELU);
        layer(layers, 1, 0, first.out(), Activation.RELU);
        layer(layers, 2, 1, layers.get(1).out(), Activation.NONE);
        if (layers.get(2).out() != Objective.COUNT) {
            throw new IllegalArgumentException("layer 2 (the heads) has " + layers.get(2).out()
                    + " outputs; the ranker has one per objective: " + Objective.COUNT);
        }
    }

    private static void layer(List<Layer> layers, int index, int inputLayer, int in, Activation activation) {
        Layer layer = layers.get(index);
        String source = describe(inputLayer);
        if (layer.inputLayer() != inputLayer) {
            throw new IllegalArgumentException("layer " + index + " reads " + describe(layer.inputLayer())
                    + "; in the ranker it reads " + source);
        }
        if (layer.in() != in) {
            throw new IllegalArgumentException("layer " + index + " reads " + layer.in() + " inputs but "
                    + source + " gives " + in);
        }
        if (layer.out() < 1) {
            throw new IllegalArgumentException("layer " + index + " has " + layer.out() + " outputs; at least 1 is needed");
        }
        if (layer.activation() != activation) {
            throw new IllegalArgumentException("layer " + index + " has activation " + layer.activation()
                    + "; in the ranker it is " + activation);
        }
        if (layer.weights().length != (long) layer.in() * layer.out()) {
            throw new IllegalArgumentException("layer " + index + " has " + layer.weights().length
                    + " weights but in x out = " + (long) layer.in() * layer.out());
        }
        if (layer.bias() != null && layer.bias().length != layer.out()) {
            throw new IllegalArgumentException("layer " + index + " has " + layer.bias().length
                    + " biases but " + layer.out() + " outputs");
        }
    }

    private static String describe(int inputLayer) {
        return inputLayer < 0 ? "the model input" : "layer " + inputLayer;
    }
}

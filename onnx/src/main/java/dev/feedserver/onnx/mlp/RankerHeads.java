package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.RankerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ranker's heads in ONNX. {@link RankerModel#denseLayers()} ends in one linear layer of
 * {@link Objective#COUNT} outputs; an export writes it as one width-1 layer per objective
 * (layers 2..5, all reading layer 1), so each head is a named output layer ({@code click},
 * {@code like}, {@code long_dwell}, {@code negative}) and the graph's {@code scores} columns
 * are the objectives in order. Splitting and merging only move rows of the output-major weight
 * matrix, so both are exact.
 *
 * <p>Threading: stateless static helpers.
 */
final class RankerHeads {

    /** The output layers of a split model: the heads in {@link Objective} order. */
    static final int[] SPLIT_OUTPUTS = {2, 3, 4, 5};

    private static final int BOTTOM = 2;

    private RankerHeads() {
    }

    /** The objectives' wire names, in head order. */
    static List<String> names() {
        return Arrays.stream(Objective.values()).map(Objective::wireName).toList();
    }

    /** The dense layers with the head layer split into one width-1 layer per objective. */
    static List<Layer> split(List<Layer> dense) {
        Layer heads = dense.get(RankerModel.OUTPUT_LAYER);
        List<Layer> out = new ArrayList<>(dense.subList(0, BOTTOM));
        int in = heads.in();
        for (int h = 0; h < heads.out(); h++) {
            float[] bias = {heads.bias() == null ? 0f : heads.bias()[h]};
            out.add(new Layer(in, 1, Arrays.copyOfRange(heads.weights(), h * in, (h + 1) * in), bias,
                    Activation.NONE, BOTTOM - 1));
        }
        return out;
    }

    /**
     * The imported layers with one head layer: as given when the graph has one output layer
     * (the last), or {@link Objective#COUNT} width-1 linear heads over layer 1 merged in output
     * order. The result's shape is checked further by {@link RankerModel#fromLayers}.
     *
     * @throws IllegalArgumentException if the outputs are neither form, or named heads are not
     *                                  the objectives in order
     */
    static List<Layer> merge(List<Layer> layers, int[] outputLayers, List<String> headNames) {
        if (outputLayers.length == 1) {
            if (outputLayers[0] != layers.size() - 1) {
                throw new IllegalArgumentException("the graph outputs layer " + outputLayers[0] + " of " + layers.size()
                        + "; a ranker outputs its last layer, the heads");
            }
            return layers;
        }
        if (outputLayers.length != Objective.COUNT || layers.size() != BOTTOM + Objective.COUNT) {
            throw new IllegalArgumentException("the graph has " + layers.size() + " layers and " + outputLayers.length
                    + " output layers; a ranker has 2 hidden layers and either one head layer of " + Objective.COUNT
                    + " outputs or " + Objective.COUNT + " heads of 1");
        }
        if (!headNames.isEmpty() && !headNames.equals(names())) {
            throw new IllegalArgumentException("the graph's heads are " + headNames + "; a ranker's are " + names()
                    + " in that order");
        }
        Layer first = layers.get(outputLayers[0]);
        int in = first.in();
        float[] weights = new float[Objective.COUNT * in];
        float[] bias = new float[Objective.COUNT];
        boolean[] seen = new boolean[layers.size()];
        for (int h = 0; h < outputLayers.length; h++) {
            int index = outputLayers[h];
            Layer head = layers.get(index);
            if (index < BOTTOM || seen[index] || head.out() != 1 || head.in() != in
                    || head.inputLayer() != BOTTOM - 1 || head.activation() != Activation.NONE) {
                throw new IllegalArgumentException("output " + h + " (layer " + index + ": in=" + head.in() + ", out="
                        + head.out() + ", reads " + head.inputLayer() + ", " + head.activation()
                        + ") is not a linear head of width 1 over layer 1");
            }
            seen[index] = true;
            System.arraycopy(head.weights(), 0, weights, h * in, in);
            bias[h] = head.bias() == null ? 0f : head.bias()[0];
        }
        List<Layer> merged = new ArrayList<>(layers.subList(0, BOTTOM));
        merged.add(new Layer(in, Objective.COUNT, weights, bias, Activation.NONE, BOTTOM - 1));
        return merged;
    }
}

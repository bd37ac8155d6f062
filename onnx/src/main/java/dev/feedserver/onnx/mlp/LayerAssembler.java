package dev.feedserver.onnx.mlp;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.proto.AttributeProto;
import dev.feedserver.onnx.proto.NodeProto;
import dev.feedserver.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a graph's nodes, in topological order, into dense layers. A layer starts at a
 * {@code MatMul} or {@code Gemm} over the model input or an earlier layer's output, may take one
 * bias {@code Add} and then one {@code Relu}; {@code Concat} (axis 1) and {@code Identity} only
 * gather outputs. Every value name is tracked as (layer, stage): a value from before a layer's
 * bias or activation may not be used once the layer has moved on, and a layer whose output was
 * consumed (by another layer, a Concat or a graph output) takes no further Add or Relu, so each
 * imported layer computes exactly what the graph computes.
 *
 * <p>Threading: not thread-safe; one assembler per import.
 */
final class LayerAssembler {

    static final String SUPPORTED = "supported: MatMul and Gemm (alpha = beta = 1, transA = 0) with constant "
            + "float weights, Add of a constant bias, Relu, Concat on axis 1, Identity";

    /** A value of the graph: the model input (layer -1) or a layer's output at a stage. */
    private record Value(int layer, int stage) {
    }

    /** A layer being assembled. */
    private static final class Draft {
        final int in;
        final int out;
        final int inputLayer;
        final float[] weights;
        float[] bias;
        Activation activation = Activation.NONE;
        int stage;
        String consumedBy;

        Draft(int in, int out, int inputLayer, float[] weights, float[] bias) {
            this.in = in;
            this.out = out;
            this.inputLayer = inputLayer;
            this.weights = weights;
            this.bias = bias;
        }
    }

    private final Map<String, TensorProto> constants;
    private final int inputWidth;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, List<Integer>> gathered = new HashMap<>();
    private final List<Draft> drafts = new ArrayList<>();

    /**
     * @param inputName  the model input
     * @param inputWidth its width, or -1 when the graph does not say
     * @param constants  the initializers by name
     */
    LayerAssembler(String inputName, int inputWidth, Map<String, TensorProto> constants) {
        this.constants = constants;
        this.inputWidth = inputWidth;
        values.put(inputName, new Value(-1, 0));
    }

    void accept(NodeProto node) {
        String domain = node.getDomain();
        if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            throw fail(node, "is in domain '" + domain + "'; only the default ONNX domain is " + SUPPORTED);
        }
        switch (node.getOpType()) {
            case "MatMul" -> matMul(node);
            case "Gemm" -> gemm(node);
            case "Add" -> addBias(node);
            case "Relu" -> relu(node);
            case "Concat" -> concat(node);
            case "Identity" -> identity(node);
            default -> throw fail(node, "is not supported; " + SUPPORTED);
        }
    }

    /** The layers, once every node was accepted. */
    List<Layer> layers() {
        List<Layer> layers = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            layers.add(new Layer(d.in, d.out, d.weights, d.bias, d.activation, d.inputLayer));
        }
        return layers;
    }

    /** The layers a graph output holds, in column order; the layers become final. */
    List<Integer> outputLayers(String output) {
        List<Integer> layers = gathered.get(output);
        if (layers != null) {
            return layers;
        }
        Value v = values.get(output);
        if (v == null) {
            throw new UnsupportedOnnxModelException("graph output '" + output + "' is produced by no supported node");
        }
        return List.of(consume(v, output, "graph output '" + output + "'"));
    }

    private void matMul(NodeProto node) {
        requireInputs(node, 2, 2);
        requireAttributes(node);
        TensorProto w = constant(node, 1, "weights (B)");
        requireRank2(node, w);
        int in = (int) w.getDims(0);
        int out = (int) w.getDims(1);
        float[] kn = OnnxTensors.readFloats(w);
        float[] weights = new float[kn.length];
        for (int k = 0; k < in; k++) {
            for (int j = 0; j < out; j++) {
                weights[j * in + k] = kn[k * out + j];
            }
        }
        start(node, in, out, weights, null);
    }

    private void gemm(NodeProto node) {
        requireInputs(node, 2, 3);
        float alpha = 1f;
        float beta = 1f;
        long transA = 0;
        long transB = 0;
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "alpha" -> alpha = a.getF();
                case "beta" -> beta = a.getF();
                case "transA" -> transA = a.getI();
                case "transB" -> transB = a.getI();
                default -> throw fail(node, "has attribute '" + a.getName() + "'; Gemm takes alpha, beta, transA, transB");
            }
        }
        if (alpha != 1f || (beta != 1f && node.getInputCount() == 3) || transA != 0 || (transB != 0 && transB != 1)) {
            throw fail(node, "has alpha=" + alpha + ", beta=" + beta + ", transA=" + transA + ", transB=" + transB
                    + "; supported: alpha = 1, beta = 1, transA = 0, transB 0 or 1");
        }
        TensorProto b = constant(node, 1, "weights (B)");
        requireRank2(node, b);
        int in = (int) (transB == 1 ? b.getDims(1) : b.getDims(0));
        int out = (int) (transB == 1 ? b.getDims(0) : b.getDims(1));
        float[] values = OnnxTensors.readFloats(b);
        float[] weights = values;
        if (transB == 0) {
            weights = new float[values.length];
            for (int k = 0; k < in; k++) {
                for (int j = 0; j < out; j++) {
                    weights[j * in + k] = values[k * out + j];
                }
            }
        }
        float[] bias = null;
        if (node.getInputCount() == 3 && !node.getInput(2).isEmpty()) {
            bias = biasOf(node, constant(node, 2, "bias (C)"), out);
        }
        start(node, in, out, weights, bias);
    }

    private void addBias(NodeProto node) {
        requireInputs(node, 2, 2);
        requireAttributes(node);
        int constant = constants.containsKey(node.getInput(1)) ? 1 : constants.containsKey(node.getInput(0)) ? 0 : -1;
        if (constant < 0) {
            throw fail(node, "adds two computed values; supported: Add of a constant bias to a MatMul's output");
        }
        int layer = modifiable(node, node.getInput(1 - constant));
        Draft d = drafts.get(layer);
        if (d.bias != null || d.activation != Activation.NONE) {
            throw fail(node, "adds a bias to a layer that already has " + (d.bias != null ? "a bias" : "an activation")
                    + "; supported: MatMul/Gemm, then one bias Add, then Relu");
        }
        d.bias = biasOf(node, constants.get(node.getInput(constant)), d.out);
        advance(node, layer);
    }

    private void relu(NodeProto node) {
        requireInputs(node, 1, 1);
        requireAttributes(node);
        int layer = modifiable(node, node.getInput(0));
        Draft d = drafts.get(layer);
        if (d.activation != Activation.NONE) {
            throw fail(node, "activates a layer twice; supported: one Relu per layer");
        }
        d.activation = Activation.RELU;
        advance(node, layer);
    }

    private void concat(NodeProto node) {
        requireOutputs(node);
        if (node.getInputCount() < 1) {
            throw fail(node, "has no inputs");
        }
        long axis = Long.MIN_VALUE;
        for (AttributeProto a : node.getAttributeList()) {
            if (!a.getName().equals("axis")) {
                throw fail(node, "has attribute '" + a.getName() + "'; Concat takes axis");
            }
            axis = a.getI();
        }
        if (axis != 1 && axis != -1) {
            throw fail(node, "concatenates on axis " + (axis == Long.MIN_VALUE ? "(missing)" : axis)
                    + "; supported: axis 1 (or -1), the feature axis of [batch, width]");
        }
        List<Integer> layers = new ArrayList<>();
        for (String input : node.getInputList()) {
            List<Integer> inner = gathered.get(input);
            if (inner != null) {
                layers.addAll(inner);
                continue;
            }
            Value v = values.get(input);
            if (v == null) {
                throw unknown(node, input);
            }
            layers.add(consume(v, input, describe(node)));
        }
        gathered.put(node.getOutput(0), List.copyOf(layers));
    }

    private void identity(NodeProto node) {
        requireInputs(node, 1, 1);
        requireAttributes(node);
        String input = node.getInput(0);
        if (gathered.containsKey(input)) {
            gathered.put(node.getOutput(0), gathered.get(input));
            return;
        }
        Value v = values.get(input);
        if (v == null) {
            throw unknown(node, input);
        }
        values.put(node.getOutput(0), v);
    }

    /** A new layer reading the node's first input. */
    private void start(NodeProto node, int in, int out, float[] weights, float[] bias) {
        String input = node.getInput(0);
        Value v = values.get(input);
        if (v == null) {
            throw gathered.containsKey(input) || constants.containsKey(input)
                    ? fail(node, "reads '" + input + "' as its data input; supported: a layer reads the model input "
                            + "or one layer's output")
                    : unknown(node, input);
        }
        int source = consume(v, input, describe(node));
        int width = source < 0 ? inputWidth : drafts.get(source).out;
        if (width >= 0 && width != in) {
            throw fail(node, "has weights for " + in + " inputs but its input '" + input + "' has width " + width);
        }
        drafts.add(new Draft(in, out, source, weights, bias));
        values.put(node.getOutput(0), new Value(drafts.size() - 1, 0));
    }

    /** The layer of a value that may still take a bias or an activation. */
    private int modifiable(NodeProto node, String input) {
        Value v = values.get(input);
        if (v == null) {
            throw constants.containsKey(input) || gathered.containsKey(input)
                    ? fail(node, "does not act on a layer's output; " + SUPPORTED)
                    : unknown(node, input);
        }
        if (v.layer() < 0) {
            throw fail(node, "acts on the model input; supported: only MatMul or Gemm read the input");
        }
        Draft d = drafts.get(v.layer());
        requireCurrent(v, d, input, describe(node));
        if (d.consumedBy != null) {
            throw fail(node, "changes layer " + v.layer() + " after its output was used by " + d.consumedBy
                    + "; supported: a layer's output is used only after its bias and activation");
        }
        return v.layer();
    }

    private void advance(NodeProto node, int layer) {
        Draft d = drafts.get(layer);
        d.stage++;
        values.put(node.getOutput(0), new Value(layer, d.stage));
    }

    /** Marks a layer's output as used (no more bias or activation); returns the layer (-1: the input). */
    private int consume(Value v, String name, String user) {
        if (v.layer() >= 0) {
            Draft d = drafts.get(v.layer());
            requireCurrent(v, d, name, user);
            if (d.consumedBy == null) {
                d.consumedBy = user;
            }
        }
        return v.layer();
    }

    private static void requireCurrent(Value v, Draft d, String name, String user) {
        if (v.stage() != d.stage) {
            throw new UnsupportedOnnxModelException(user + " uses '" + name + "', an intermediate of layer " + v.layer()
                    + " from before its bias or activation; supported: only a layer's final output is used");
        }
    }

    private float[] biasOf(NodeProto node, TensorProto t, int out) {
        boolean vector = t.getDimsCount() == 1 && t.getDims(0) == out;
        boolean row = t.getDimsCount() == 2 && t.getDims(0) == 1 && t.getDims(1) == out;
        if (!vector && !row) {
            throw fail(node, "has bias '" + t.getName() + "' of shape " + t.getDimsList() + "; supported: [" + out
                    + "] or [1, " + out + "]");
        }
        return OnnxTensors.readFloats(t);
    }

    private TensorProto constant(NodeProto node, int index, String what) {
        TensorProto t = constants.get(node.getInput(index));
        if (t == null) {
            throw fail(node, "takes its " + what + " from '" + node.getInput(index) + "', which is not an initializer; "
                    + "supported: constant weights and biases stored in the model");
        }
        return t;
    }

    private void requireRank2(NodeProto node, TensorProto w) {
        if (w.getDimsCount() != 2 || w.getDims(0) < 1 || w.getDims(1) < 1
                || w.getDims(0) > Integer.MAX_VALUE || w.getDims(1) > Integer.MAX_VALUE) {
            throw fail(node, "has weights '" + w.getName() + "' of shape " + w.getDimsList()
                    + "; supported: a 2-D matrix");
        }
    }

    private static void requireInputs(NodeProto node, int min, int max) {
        if (node.getInputCount() < min || node.getInputCount() > max) {
            throw fail(node, "has " + node.getInputCount() + " inputs; expected " + (min == max ? min : min + ".." + max));
        }
        requireOutputs(node);
    }

    private static void requireOutputs(NodeProto node) {
        if (node.getOutputCount() != 1) {
            throw fail(node, "has " + node.getOutputCount() + " outputs; expected 1");
        }
    }

    private static void requireAttributes(NodeProto node) {
        if (node.getAttributeCount() > 0) {
            throw fail(node, "has attribute '" + node.getAttribute(0).getName() + "'; supported: none for "
                    + node.getOpType());
        }
    }

    private static UnsupportedOnnxModelException unknown(NodeProto node, String input) {
        return fail(node, "reads '" + input + "', which no earlier node, initializer or graph input defines");
    }

    static String describe(NodeProto node) {
        return "node '" + (node.getName().isEmpty() ? "(unnamed)" : node.getName()) + "' (op " + node.getOpType() + ")";
    }

    private static UnsupportedOnnxModelException fail(NodeProto node, String problem) {
        return new UnsupportedOnnxModelException(describe(node) + " " + problem);
    }
}

package dev.feedserver.onnx.mlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.proto.GraphProto;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.NodeProto;
import dev.feedserver.onnx.proto.OperatorSetIdProto;
import dev.feedserver.onnx.proto.StringStringEntryProto;
import dev.feedserver.onnx.proto.TensorProto;
import dev.feedserver.onnx.proto.TensorShapeProto;
import dev.feedserver.onnx.proto.TypeProto;
import dev.feedserver.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a float MLP from an ONNX model into the layers {@code QuantizedMlp} takes. Supported
 * graphs: one float input [batch, in]; layers made of {@code MatMul} (+ a constant bias
 * {@code Add}) or {@code Gemm} (alpha = beta = 1, transA = 0, transB 0 or 1), each optionally
 * followed by {@code Relu}; layers forming a chain or a tree (a shared bottom and heads); graph
 * outputs that are layer outputs or {@code Concat}s (axis 1) of them, their columns in order
 * forming the output row; weights and biases as float initializers in {@code raw_data}
 * (little-endian) or {@code float_data}. The weights are copied bit for bit (transposed where
 * the graph holds them in x out), so importing what {@link OnnxMlpExporter#exportFloat} wrote
 * gives back the same floats.
 *
 * <p>Anything else throws {@link UnsupportedOnnxModelException} naming the node, its op and
 * what is supported; bytes that are not an ONNX model throw it too.
 *
 * <p>Threading: stateless and thread-safe.
 */
public final class OnnxMlpImporter {

    /** Gemm lost its broadcast attribute in opset 7; older models are refused. */
    static final long MIN_OPSET = 7;

    private OnnxMlpImporter() {
    }

    /**
     * The layers, output layers and metadata of a float MLP model.
     *
     * @throws UnsupportedOnnxModelException if the bytes are not an ONNX model or the graph is
     *                                       outside the supported subset
     */
    public static ImportedMlp importFloat(byte[] onnx) {
        ModelProto model = parse(onnx);
        requireDefaultOpset(model);
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> constants = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        ValueInfoProto input = singleInput(graph, constants);
        LayerAssembler assembler = new LayerAssembler(input.getName(), inputWidth(input), constants);
        for (NodeProto node : graph.getNodeList()) {
            assembler.accept(node);
        }
        if (graph.getOutputCount() == 0) {
            throw new UnsupportedOnnxModelException("the graph has no outputs");
        }
        List<Integer> outputs = new ArrayList<>();
        for (ValueInfoProto output : graph.getOutputList()) {
            outputs.addAll(assembler.outputLayers(output.getName()));
        }
        List<Layer> layers = assembler.layers();
        int[] outputLayers = outputs.stream().mapToInt(Integer::intValue).toArray();
        if (layers.isEmpty()) {
            throw new UnsupportedOnnxModelException("the graph has no MatMul or Gemm layer");
        }
        if (Arrays.stream(outputLayers).anyMatch(l -> l < 0)) {
            throw new UnsupportedOnnxModelException("a graph output is the model input itself; supported: layer outputs");
        }
        try {
            MlpChecks.validate(layers, outputLayers);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOnnxModelException("the graph's layers do not form a valid MLP: " + e.getMessage(), e);
        }
        Map<String, String> metadata = metadata(model);
        return new ImportedMlp(layers, outputLayers, info(model, metadata, outputLayers.length), metadata);
    }

    private static ModelProto parse(byte[] onnx) {
        if (onnx == null || onnx.length == 0) {
            throw new UnsupportedOnnxModelException("not an ONNX model: no bytes");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new UnsupportedOnnxModelException("not an ONNX model: the bytes are not a ModelProto ("
                    + e.getMessage() + ")", e);
        }
        if (!model.hasIrVersion() || !model.hasGraph()) {
            throw new UnsupportedOnnxModelException("not an ONNX model: no " + (model.hasIrVersion() ? "graph" : "ir_version"));
        }
        return model;
    }

    private static void requireDefaultOpset(ModelProto model) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
                if (opset.getVersion() < MIN_OPSET) {
                    throw new UnsupportedOnnxModelException("the model imports ONNX opset " + opset.getVersion()
                            + "; supported: opset " + MIN_OPSET + " or later");
                }
                return;
            }
        }
        throw new UnsupportedOnnxModelException("the model imports no default-domain ONNX opset");
    }

    /** Graph inputs that are not initializers: exactly one, a float matrix when typed. */
    private static ValueInfoProto singleInput(GraphProto graph, Map<String, TensorProto> constants) {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !constants.containsKey(i.getName()))
                .toList();
        if (inputs.size() != 1) {
            throw new UnsupportedOnnxModelException("the graph has " + inputs.size()
                    + " inputs besides its initializers; supported: exactly one, float [batch, in]");
        }
        ValueInfoProto input = inputs.getFirst();
        if (input.hasType() && input.getType().hasTensorType()) {
            TypeProto.Tensor type = input.getType().getTensorType();
            if (type.hasElemType() && type.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new UnsupportedOnnxModelException("input '" + input.getName() + "' has element type "
                        + type.getElemType() + "; supported: FLOAT (1)");
            }
            if (type.hasShape() && type.getShape().getDimCount() != 2) {
                throw new UnsupportedOnnxModelException("input '" + input.getName() + "' has rank "
                        + type.getShape().getDimCount() + "; supported: rank 2, [batch, in]");
            }
        }
        return input;
    }

    /** The input's declared width, or -1 when the graph does not declare it. */
    private static int inputWidth(ValueInfoProto input) {
        if (!input.getType().getTensorType().hasShape()) {
            return -1;
        }
        TensorShapeProto.Dimension width = input.getType().getTensorType().getShape().getDim(1);
        return width.hasDimValue() ? (int) width.getDimValue() : -1;
    }

    private static Map<String, String> metadata(ModelProto model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        return metadata;
    }

    private static MlpExportInfo info(ModelProto model, Map<String, String> metadata, int heads) {
        String producer = model.getProducerName().isEmpty() ? "unknown" : model.getProducerName();
        List<String> names = List.of();
        String joined = metadata.get(MlpExportInfo.HEAD_NAMES);
        if (joined != null) {
            names = List.of(joined.split(",", -1));
            if (names.size() != heads) {
                throw new UnsupportedOnnxModelException("metadata " + MlpExportInfo.HEAD_NAMES + " names " + names.size()
                        + " heads but the graph outputs " + heads + " layers");
            }
        }
        try {
            Map<String, String> properties = new LinkedHashMap<>(metadata);
            properties.keySet().removeAll(MlpExportInfo.RESERVED);
            return new MlpExportInfo(producer, Math.max(0, model.getModelVersion()), names,
                    metadata.getOrDefault(MlpExportInfo.FEATURE_SCHEMA_ID, ""), properties);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOnnxModelException("metadata: " + e.getMessage(), e);
        }
    }
}

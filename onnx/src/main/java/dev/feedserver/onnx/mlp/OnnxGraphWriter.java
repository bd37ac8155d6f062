package dev.feedserver.onnx.mlp;

import dev.feedserver.onnx.proto.AttributeProto;
import dev.feedserver.onnx.proto.GraphProto;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.NodeProto;
import dev.feedserver.onnx.proto.OperatorSetIdProto;
import dev.feedserver.onnx.proto.StringStringEntryProto;
import dev.feedserver.onnx.proto.TensorProto;
import dev.feedserver.onnx.proto.TensorShapeProto;
import dev.feedserver.onnx.proto.TypeProto;
import dev.feedserver.onnx.proto.ValueInfoProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles one exported model: nodes in topological order (the order they are added),
 * initializers (each name once), the {@code features} input and {@code scores} output with a
 * symbolic batch dimension, and the model header (IR version, opset, producer, metadata).
 *
 * <p>Threading: not thread-safe; one writer per export, discarded after {@link #model}.
 */
final class OnnxGraphWriter {

    /** The model input: float [batch, in]. */
    static final String INPUT = "features";
    /** The model output: float [batch, sum of the output layers' widths]. */
    static final String OUTPUT = "scores";
    /** IR version 8 goes with opset 17 (ONNX 1.12); ONNX Runtime 1.23 reads both. */
    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    static final String BATCH = "batch";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializers = new HashSet<>();

    OnnxGraphWriter(String graphName) {
        graph.setName(graphName);
    }

    /** Adds a node of the default domain; returns its (single) output name. */
    String node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addOutput(output);
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return output;
    }

    /** Adds a node with several outputs (DynamicQuantizeLinear). */
    void node(String op, String name, List<String> inputs, List<String> outputs) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs));
    }

    /** Adds an initializer unless one of that name exists; returns its name. */
    String initializer(TensorProto tensor) {
        if (initializers.add(tensor.getName())) {
            graph.addInitializer(tensor);
        }
        return tensor.getName();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /**
     * The finished model.
     *
     * @param form       {@code float} or {@code int8}, recorded in the metadata
     * @param headWidths each output layer's width, recorded next to the head names
     */
    byte[] model(MlpExportInfo info, String form, int inDim, int outDim, int[] headWidths) {
        graph.addInput(floatMatrix(INPUT, inDim)).addOutput(floatMatrix(OUTPUT, outDim));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(info.producer())
                .setProducerVersion("feedserver")
                .setDomain("dev.feedserver")
                .setModelVersion(info.modelVersion())
                .setDocString("feedserver ranker MLP (" + form + ")")
                .setGraph(graph);
        StringBuilder widths = new StringBuilder();
        for (int w : headWidths) {
            widths.append(widths.isEmpty() ? "" : ",").append(w);
        }
        property(model, MlpExportInfo.FORM, form);
        property(model, MlpExportInfo.HEAD_WIDTHS, widths.toString());
        if (!info.headNames().isEmpty()) {
            property(model, MlpExportInfo.HEAD_NAMES, String.join(",", info.headNames()));
        }
        if (!info.featureSchemaId().isEmpty()) {
            property(model, MlpExportInfo.FEATURE_SCHEMA_ID, info.featureSchemaId());
        }
        info.properties().forEach((key, value) -> property(model, key, value));
        return model.build().toByteArray();
    }

    private static void property(ModelProto.Builder model, String key, String value) {
        model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static ValueInfoProto floatMatrix(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}

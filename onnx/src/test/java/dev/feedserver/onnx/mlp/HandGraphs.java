package dev.feedserver.onnx.mlp;

import com.google.protobuf.ByteString;
import dev.feedserver.onnx.proto.AttributeProto;
import dev.feedserver.onnx.proto.GraphProto;
import dev.feedserver.onnx.proto.ModelProto;
import dev.feedserver.onnx.proto.NodeProto;
import dev.feedserver.onnx.proto.OperatorSetIdProto;
import dev.feedserver.onnx.proto.TensorProto;
import dev.feedserver.onnx.proto.TensorShapeProto;
import dev.feedserver.onnx.proto.TypeProto;
import dev.feedserver.onnx.proto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Builds ONNX graphs by hand, the way other tools write them (MatMul + Add, float_data, several outputs). */
final class HandGraphs {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("hand");

    HandGraphs input(String name, int width) {
        graph.addInput(matrix(name, width));
        return this;
    }

    HandGraphs output(String name, int width) {
        graph.addOutput(matrix(name, width));
        return this;
    }

    HandGraphs node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    /** A float initializer in float_data (packed floats) or raw_data (little-endian bytes). */
    HandGraphs constant(String name, float[] values, boolean raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        if (raw) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            t.setRawData(ByteString.copyFrom(b.array()));
        } else {
            for (float v : values) {
                t.addFloatData(v);
            }
        }
        graph.addInitializer(t);
        return this;
    }

    HandGraphs tensor(TensorProto t) {
        graph.addInitializer(t);
        return this;
    }

    byte[] model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("hand")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build().toByteArray();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    /** out x in (row-major) to in x out. */
    static float[] transpose(float[] w, int out, int in) {
        float[] t = new float[w.length];
        for (int j = 0; j < out; j++) {
            for (int k = 0; k < in; k++) {
                t[k * out + j] = w[j * in + k];
            }
        }
        return t;
    }

    private static ValueInfoProto matrix(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}

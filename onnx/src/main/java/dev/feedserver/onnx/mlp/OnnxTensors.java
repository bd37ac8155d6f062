package dev.feedserver.onnx.mlp;

import com.google.protobuf.ByteString;
import dev.feedserver.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Dense ONNX tensors to and from Java arrays. Written tensors keep their elements in
 * {@code raw_data}, little-endian as the format requires; read float tensors may use
 * {@code raw_data} or {@code float_data}. External data is refused.
 *
 * <p>Threading: stateless static helpers.
 */
final class OnnxTensors {

    private OnnxTensors() {
    }

    /** A float tensor of the given shape (row-major). */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, TensorProto.DataType.FLOAT, ByteString.copyFrom(raw.array()), dims);
    }

    /** An int8 tensor of the given shape (row-major). */
    static TensorProto int8s(String name, byte[] values, long... dims) {
        return tensor(name, TensorProto.DataType.INT8, ByteString.copyFrom(values), dims);
    }

    /** A float scalar (shape {@code []}). */
    static TensorProto scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    /** The number of elements a shape holds. */
    static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                throw new UnsupportedOnnxModelException("tensor '" + t.getName() + "' has a negative dimension " + d);
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * The elements of a float tensor, from {@code raw_data} (little-endian) or {@code float_data}.
     *
     * @throws UnsupportedOnnxModelException if the tensor is not float, is stored externally, or
     *                                       holds the wrong number of elements
     */
    static float[] readFloats(TensorProto t) {
        String name = "tensor '" + t.getName() + "'";
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new UnsupportedOnnxModelException(name + " has data_type " + t.getDataType()
                    + "; only FLOAT (1) weights and biases are supported");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new UnsupportedOnnxModelException(name + " keeps its data in an external file; "
                    + "only data inside the model (raw_data or float_data) is supported");
        }
        long n = elements(t);
        if (n > Integer.MAX_VALUE) {
            throw new UnsupportedOnnxModelException(name + " has " + n + " elements, too many for one array");
        }
        float[] values = new float[(int) n];
        if (t.hasRawData()) {
            if (t.getRawData().size() != n * Float.BYTES) {
                throw new UnsupportedOnnxModelException(name + " has " + t.getRawData().size()
                        + " bytes of raw_data but its shape needs " + n * Float.BYTES);
            }
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
        if (t.getFloatDataCount() != n) {
            throw new UnsupportedOnnxModelException(name + " has " + t.getFloatDataCount()
                    + " float_data values but its shape needs " + n);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getFloatData(i);
        }
        return values;
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, ByteString raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(raw);
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}

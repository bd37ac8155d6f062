package dev.feedserver.onnx.mlp;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.feedserver.onnx.OnnxSessions;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs an MLP model (one float input [batch, in], one float output [batch, out], as
 * {@link OnnxMlpExporter} writes them) in ONNX Runtime: the reference the native int8 ranker is
 * compared with. Rows are copied into a direct buffer the input tensor wraps, and ONNX Runtime
 * writes the output straight into a second direct buffer (a pinned output); both buffers and
 * their tensors are kept and reused while the row count stays the same, and grow when a call
 * brings more rows than any before.
 *
 * <p>Threading: not thread-safe (the buffers are shared by calls); use one runner per thread.
 * The session runs each call on {@code intraOpThreads} threads (default 1, for single-core
 * comparisons with the native kernels).
 *
 * <p>Lifecycle: owns an ONNX Runtime session and native tensors; {@link #close} frees them, is
 * idempotent, and later calls to {@code run} throw {@link IllegalStateException}.
 */
public final class OnnxMlpRunner implements AutoCloseable {

    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int inDim;
    private final int outDim;

    private ByteBuffer inBytes;
    private ByteBuffer outBytes;
    private int tensorRows = -1;
    private OnnxTensor inTensor;
    private OnnxTensor outTensor;
    private Map<String, OnnxTensor> inputs;
    private Map<String, OnnxTensor> outputs;
    private boolean closed;

    /** A CPU session with one intra-op thread. */
    public OnnxMlpRunner(byte[] model) throws OrtException {
        this(model, 1, false);
    }

    /**
     * @param model          the .onnx bytes
     * @param intraOpThreads threads one run may use, {@code >= 1}
     * @param preferGpu      use the CUDA provider when this ONNX Runtime build has it
     * @throws OrtException             if ONNX Runtime rejects the model
     * @throws IllegalArgumentException if the model is not one float matrix in, one out
     */
    public OnnxMlpRunner(byte[] model, int intraOpThreads, boolean preferGpu) throws OrtException {
        OrtSession s = OnnxSessions.open(model, intraOpThreads, preferGpu);
        try {
            if (s.getNumInputs() != 1 || s.getNumOutputs() != 1) {
                throw new IllegalArgumentException("an MLP model has one input and one output; this one has "
                        + s.getNumInputs() + " and " + s.getNumOutputs());
            }
            Map.Entry<String, NodeInfo> in = s.getInputInfo().entrySet().iterator().next();
            Map.Entry<String, NodeInfo> out = s.getOutputInfo().entrySet().iterator().next();
            this.inputName = in.getKey();
            this.outputName = out.getKey();
            this.inDim = width(in);
            this.outDim = width(out);
            this.session = s;
        } catch (RuntimeException | OrtException e) {
            s.close();
            throw e;
        }
    }

    /** Floats per input row. */
    public int inDim() {
        return inDim;
    }

    /** Floats per output row. */
    public int outDim() {
        return outDim;
    }

    /**
     * Runs {@code rows} dense rows of {@code x} ({@link #inDim()} floats each) into {@code out}
     * ({@link #outDim()} floats each).
     *
     * @throws IllegalArgumentException if rows is negative or an array too small
     * @throws IllegalStateException    if the runner is closed
     * @throws OrtException             if ONNX Runtime fails
     */
    public void run(float[] x, int rows, float[] out) throws OrtException {
        check(rows, x.length, out.length, "floats");
        if (rows == 0) {
            return;
        }
        prepare(rows);
        inBytes.asFloatBuffer().put(x, 0, rows * inDim);
        execute();
        outBytes.asFloatBuffer().get(out, 0, rows * outDim);
    }

    /**
     * As {@link #run(float[], int, float[])} over segments (heap or native, any alignment),
     * the floats in native byte order.
     */
    public void run(MemorySegment x, int rows, MemorySegment out) throws OrtException {
        check(rows, x.byteSize() / Float.BYTES, out.byteSize() / Float.BYTES, "floats of segment");
        if (rows == 0) {
            return;
        }
        prepare(rows);
        long inBytesUsed = (long) rows * inDim * Float.BYTES;
        MemorySegment.copy(x, 0, MemorySegment.ofBuffer(inBytes), 0, inBytesUsed);
        execute();
        MemorySegment.copy(MemorySegment.ofBuffer(outBytes), 0, out, 0, (long) rows * outDim * Float.BYTES);
    }

    /** Frees the session and tensors; idempotent. */
    @Override
    public void close() throws OrtException {
        if (closed) {
            return;
        }
        closed = true;
        releaseTensors();
        session.close();
    }

    private void check(int rows, long xFloats, long outFloats, String unit) {
        if (closed) {
            throw new IllegalStateException("run: the runner is closed");
        }
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0 (got " + rows + ")");
        }
        if (xFloats < (long) rows * inDim) {
            throw new IllegalArgumentException("x holds " + xFloats + " " + unit + " but " + rows + " rows x " + inDim
                    + " need " + (long) rows * inDim);
        }
        if (outFloats < (long) rows * outDim) {
            throw new IllegalArgumentException("out holds " + outFloats + " " + unit + " but " + rows + " rows x "
                    + outDim + " need " + (long) rows * outDim);
        }
    }

    /** Buffers big enough for rows, and tensors of exactly rows rows over them. */
    private void prepare(int rows) throws OrtException {
        if (rows == tensorRows) {
            return;
        }
        releaseTensors();
        long inNeed = (long) rows * inDim * Float.BYTES;
        long outNeed = (long) rows * outDim * Float.BYTES;
        if (inNeed > Integer.MAX_VALUE || outNeed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(rows + " rows need more than 2 GiB of input or output");
        }
        if (inBytes == null || inBytes.capacity() < inNeed) {
            inBytes = ByteBuffer.allocateDirect((int) inNeed).order(ByteOrder.nativeOrder());
        }
        if (outBytes == null || outBytes.capacity() < outNeed) {
            outBytes = ByteBuffer.allocateDirect((int) outNeed).order(ByteOrder.nativeOrder());
        }
        FloatBuffer in = inBytes.asFloatBuffer().limit(rows * inDim);
        FloatBuffer out = outBytes.asFloatBuffer().limit(rows * outDim);
        inTensor = OnnxTensor.createTensor(OnnxSessions.environment(), in, new long[] {rows, inDim});
        outTensor = OnnxTensor.createTensor(OnnxSessions.environment(), out, new long[] {rows, outDim});
        inputs = Map.of(inputName, inTensor);
        outputs = Map.of(outputName, outTensor);
        tensorRows = rows;
    }

    private void execute() throws OrtException {
        // The output is pinned: the result does not own it, closing the result leaves it alone.
        session.run(inputs, outputs).close();
    }

    private void releaseTensors() {
        if (inTensor != null) {
            inTensor.close();
            outTensor.close();
            inTensor = null;
            outTensor = null;
            tensorRows = -1;
        }
    }

    private static int width(Map.Entry<String, NodeInfo> value) {
        if (!(value.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT
                || t.getShape().length != 2 || t.getShape()[1] < 1) {
            throw new IllegalArgumentException("'" + value.getKey() + "' must be a float [batch, width] tensor with a "
                    + "fixed width; it is " + value.getValue().getInfo());
        }
        return Math.toIntExact(t.getShape()[1]);
    }
}

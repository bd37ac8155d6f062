package dev.feedserver.generation.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.feedserver.onnx.OnnxSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Any ONNX graph with one float input {@code [batch, width]} and one float output
 * {@code [batch, k]} (the ranker MLPs {@code OnnxMlpExporter} writes, small classifiers), run
 * by ONNX Runtime through {@link OnnxSessions}: the CUDA execution provider when
 * {@code preferGpu} is set and this ONNX Runtime build has it, the CPU otherwise.
 *
 * <p>Threading: {@link #run} may be called from several threads at once (ONNX Runtime sessions
 * are thread-safe). Lifecycle: {@link #open} creates the session; {@link #close} waits for
 * running calls, frees it, is idempotent; {@code run} after it throws
 * {@link IllegalStateException}.
 */
public final class OnnxModel implements AutoCloseable {

    private final String name;
    private final OrtSession session;
    private final String input;
    private final int width;
    // run holds the read lock, close the write lock: no run uses a freed session
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxModel(String name, OrtSession session, String input, int width) {
        this.name = name;
        this.session = session;
        this.input = input;
        this.width = width;
    }

    /**
     * Opens the model in {@code file}.
     *
     * @throws IllegalArgumentException if the graph does not have one float input of a fixed
     *                                  width and one output
     * @throws Exception                if the file cannot be read or ONNX Runtime rejects it
     */
    public static OnnxModel open(String name, Path file, int intraOpThreads, boolean preferGpu) throws Exception {
        OrtSession session = OnnxSessions.open(Files.readAllBytes(file), intraOpThreads, preferGpu);
        try {
            if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
                throw new IllegalArgumentException("model '" + name + "' (" + file + ") must have one input and one output; it has "
                        + session.getNumInputs() + " and " + session.getNumOutputs());
            }
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            if (!(in.getValue().getInfo() instanceof TensorInfo info) || info.getShape().length != 2 || info.getShape()[1] <= 0) {
                throw new IllegalArgumentException("model '" + name + "' input must be float [batch, width] with a fixed width; it is "
                        + in.getValue().getInfo());
            }
            return new OnnxModel(name, session, in.getKey(), (int) info.getShape()[1]);
        } catch (RuntimeException | OrtException e) {
            session.close();
            throw e;
        }
    }

    /** Floats per input row. */
    public int inputWidth() {
        return width;
    }

    /**
     * Runs the batch {@code rows} (each {@link #inputWidth()} floats) in one ONNX Runtime call.
     *
     * @return one output row per input row
     * @throws IllegalArgumentException if a row has the wrong width
     * @throws IllegalStateException    if the model is closed or ONNX Runtime fails
     */
    public float[][] run(float[][] rows) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " floats; model '" + name + "' takes " + width);
            }
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("ONNX model '" + name + "' is closed");
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(OnnxSessions.environment(), rows);
                 OrtSession.Result result = session.run(Map.of(input, tensor))) {
                return (float[][]) result.get(0).getValue();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed running model '" + name + "' on " + rows.length + " rows", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Waits for running calls, then frees the session. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session of model '" + name + "'", e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}

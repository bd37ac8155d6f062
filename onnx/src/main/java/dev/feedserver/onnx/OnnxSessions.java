package dev.feedserver.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;

/**
 * Opens ONNX Runtime sessions the same way everywhere: the process-wide environment, a fixed
 * number of intra-op threads (so a model never takes more cores than it was given), full graph
 * optimisation, and the CUDA execution provider only when this ONNX Runtime build offers it
 * and {@code preferGpu} is set. A CPU machine, or a CPU-only build, always gets the CPU
 * provider: a GPU is detected, never required.
 *
 * <p>Stateless and thread-safe. Sessions returned are owned by the caller and must be closed.
 */
public final class OnnxSessions {

    private OnnxSessions() {
    }

    /** The process-wide ONNX Runtime environment (created once by ONNX Runtime itself). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Whether this ONNX Runtime build can run on a CUDA GPU (the provider is compiled in). */
    public static boolean cudaAvailable() {
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        return providers.contains(OrtProvider.CUDA);
    }

    /**
     * A session over {@code model} (the bytes of an .onnx file).
     *
     * @param intraOpThreads threads one inference may use, {@code >= 1}
     * @param preferGpu      try the CUDA provider first when it is available
     * @throws OrtException if ONNX Runtime rejects the model
     */
    public static OrtSession open(byte[] model, int intraOpThreads, boolean preferGpu) throws OrtException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (preferGpu && cudaAvailable()) {
                options.addCUDA();
            }
            return environment().createSession(model, options);
        }
    }
}

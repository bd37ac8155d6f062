package dev.feedserver.generation.text;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeLlama;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A loaded Llama decoder: the native one ({@link NativeLlama}, float or int8 weights) or the Java
 * {@link ReferenceLlama}. {@link #load} picks native unless the native library cannot load (see
 * {@link KernelBackend}); int8 needs the native library.
 *
 * <p>Threading: the model is immutable after loading and may be shared; {@link #newSession}
 * may be called from any thread, and sessions run concurrently, one thread per session.
 *
 * <p>Lifecycle: {@link #close()} is idempotent; afterwards {@link #newSession} and the getters
 * throw {@link IllegalStateException}. Sessions opened before close keep working; the native
 * weights are freed when the model and all its sessions are closed.
 */
public final class LlamaModel implements AutoCloseable {

    private final LlamaConfig config;
    private final WeightMode mode;
    private final int groupSize;
    private final NativeLlama nativeModel;    // null for the Java backend
    private final ReferenceLlama reference;   // null for the native backend
    private final long residentBytes;
    private volatile boolean closed;

    private LlamaModel(LlamaConfig config, WeightMode mode, int groupSize, NativeLlama nativeModel,
                       ReferenceLlama reference, long residentBytes) {
        this.config = config;
        this.mode = mode;
        this.groupSize = groupSize;
        this.nativeModel = nativeModel;
        this.reference = reference;
        this.residentBytes = residentBytes;
    }

    /**
     * Loads {@code checkpoint} on the current kernel backend: native when available, else the Java
     * reference (float only).
     *
     * @param groupSize int8 values per scale for {@link WeightMode#INT8} (0 = the default, 64; a
     *                  multiple of 32 up to 1024); ignored for {@link WeightMode#FLOAT32}
     * @throws IllegalArgumentException if the file is not a valid checkpoint or the group size is bad
     * @throws IllegalStateException    if INT8 is asked for but the native library is unavailable
     */
    public static LlamaModel load(Path checkpoint, WeightMode mode, int groupSize) {
        Objects.requireNonNull(mode, "mode");
        if (KernelBackend.current() == KernelBackend.NATIVE) {
            return loadNative(checkpoint, mode, groupSize);
        }
        if (mode == WeightMode.INT8) {
            throw new IllegalStateException("INT8 generation needs the native library: " + KernelBackend.reason());
        }
        return loadReference(checkpoint);
    }

    /** Loads {@code checkpoint} into libfeednative. */
    public static LlamaModel loadNative(Path checkpoint, WeightMode mode, int groupSize) {
        NativeLlama model = mode == WeightMode.INT8 ? NativeLlama.load(checkpoint, NativeLlama.Weights.Q8, groupSize)
                : NativeLlama.load(checkpoint, NativeLlama.Weights.F32, 0);
        NativeLlama.Config c = model.config();
        LlamaConfig config = new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(),
                c.vocabSize(), c.seqLen(), c.sharedClassifier());
        return new LlamaModel(config, mode, c.groupSize(), model, null, c.weightBytes());
    }

    /** Loads {@code checkpoint} into the Java reference (float). */
    public static LlamaModel loadReference(Path checkpoint) {
        ReferenceLlama reference = new ReferenceLlama(LlamaCheckpoint.readWeights(checkpoint));
        return new LlamaModel(reference.config(), WeightMode.FLOAT32, 0, null, reference, reference.bytes());
    }

    /** The model's shape. */
    public LlamaConfig config() {
        ensureOpen("config");
        return config;
    }

    /** How the matrices are held. */
    public WeightMode mode() {
        ensureOpen("mode");
        return mode;
    }

    /** int8 values per scale ({@link WeightMode#INT8}); 0 for float. */
    public int groupSize() {
        ensureOpen("groupSize");
        return groupSize;
    }

    /** What runs the forward pass. */
    public LlamaBackend backend() {
        ensureOpen("backend");
        return nativeModel != null ? LlamaBackend.NATIVE : LlamaBackend.JAVA;
    }

    /**
     * Bytes the loaded weights occupy, measured where they were allocated: the native model's own
     * count of its allocations (weights, scales, RoPE tables), or the Java arrays' sizes.
     */
    public long residentBytes() {
        ensureOpen("residentBytes");
        return residentBytes;
    }

    /** Bytes one session for {@code maxSeq} positions adds (KV cache and scratch; 0 = seq_len). */
    public long sessionBytes(int maxSeq) {
        ensureOpen("sessionBytes");
        return nativeModel != null ? nativeModel.stateBytes(maxSeq) : reference.sessionBytes(maxSeq);
    }

    /**
     * A new session for positions {@code 0 .. maxSeq-1} (0 = the model's seq_len).
     *
     * @throws IllegalArgumentException if maxSeq is out of range
     * @throws IllegalStateException    if the model is closed
     */
    public LlamaSession newSession(int maxSeq) {
        ensureOpen("newSession");
        if (nativeModel == null) {
            return reference.newSession(maxSeq);
        }
        NativeLlama.State state = nativeModel.newState(maxSeq);
        return new LlamaSession() {
            @Override
            public void forward(int token, int pos, float[] logits) {
                state.forward(token, pos, logits);
            }

            @Override
            public int maxSeq() {
                return state.maxSeq();
            }

            @Override
            public void close() {
                state.close();
            }
        };
    }

    /** Closes the model; idempotent. */
    @Override
    public void close() {
        closed = true;
        if (nativeModel != null) {
            nativeModel.close();
        }
    }

    private void ensureOpen(String method) {
        if (closed) {
            throw new IllegalStateException(method + ": the model is closed");
        }
    }
}

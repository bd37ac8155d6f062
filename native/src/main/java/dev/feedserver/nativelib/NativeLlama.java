package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Llama-architecture decoder loaded by libfeednative from a llama2.c checkpoint
 * ({@code fn_llama_*} in {@code feed_native.h}), with float or group-wise int8 weights.
 *
 * <p>Threading: the model is immutable after {@link #load} and may be shared; each generation
 * uses its own {@link State} (KV cache and scratch), and states of one model may run forwards
 * concurrently, one thread per state. A state must not be used by two threads at once (the
 * second call throws {@link IllegalStateException}).
 *
 * <p>Lifecycle: {@link #close()} is idempotent; after it {@link #newState} and the getters
 * throw {@link IllegalStateException}, but states already created keep working, and the native
 * weights are freed when the model and all its states are closed. A {@link State} owns its
 * native memory until {@link State#close()} (idempotent).
 */
public final class NativeLlama implements AutoCloseable {

    /** How the matrices are held in memory. */
    public enum Weights {
        /** float32, as in the file. */
        F32,
        /** int8 with one float scale per group of {@link Config#groupSize()} values of a row. */
        Q8
    }

    /**
     * The loaded model's shape and footprint.
     *
     * @param weightBytes bytes the native model allocated (weights, scales, RoPE tables)
     */
    public record Config(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                         boolean sharedClassifier, Weights weights, int groupSize, long weightBytes) {}

    /** Default int8 group size (values per scale). */
    public static final int DEFAULT_GROUP_SIZE = 64;

    private final MemorySegment handle;
    private final Config config;
    private final AtomicInteger references = new AtomicInteger(1); // the owner plus each live state
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeLlama(MemorySegment handle, Config config) {
        this.handle = handle;
        this.config = config;
    }

    /**
     * Loads and validates a checkpoint.
     *
     * @param groupSize int8 group size for {@link Weights#Q8} (0 = {@link #DEFAULT_GROUP_SIZE};
     *                  else a multiple of 32 up to 1024); must be 0 for {@link Weights#F32}
     * @throws IllegalArgumentException if the file is missing, truncated or not a valid
     *                                  checkpoint, or an argument is invalid (the message says which)
     */
    public static NativeLlama load(Path checkpoint, Weights weights, int groupSize) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(weights, "weights");
        NativeCallStatus.verifyLibrary();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int mode = weights == Weights.Q8 ? feed_native_h.FN_LLAMA_Q8() : feed_native_h.FN_LLAMA_F32();
            NativeCallStatus.check(feed_native_h.fn_llama_load(arena.allocateFrom(checkpoint.toString()), mode,
                    groupSize, out));
            MemorySegment handle = out.get(ValueLayout.ADDRESS, 0);
            MemorySegment c = fn_llama_config.allocate(arena);
            int status = feed_native_h.fn_llama_get_config(handle, c);
            if (status != feed_native_h.FN_OK()) {
                feed_native_h.fn_llama_destroy(handle);
                NativeCallStatus.check(status);
            }
            Config config = new Config(fn_llama_config.dim(c), fn_llama_config.hidden_dim(c),
                    fn_llama_config.n_layers(c), fn_llama_config.n_heads(c), fn_llama_config.n_kv_heads(c),
                    fn_llama_config.vocab_size(c), fn_llama_config.seq_len(c),
                    fn_llama_config.shared_classifier(c) != 0, weights, fn_llama_config.group_size(c),
                    fn_llama_config.weight_bytes(c));
            return new NativeLlama(handle, config);
        }
    }

    /** The model's shape, weight mode and allocated bytes. */
    public Config config() {
        ensureOpen("config");
        return config;
    }

    /** Bytes a {@link State} for {@code maxSeq} positions allocates (0 = the model's seq_len). */
    public long stateBytes(int maxSeq) {
        ensureOpen("stateBytes");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
            NativeCallStatus.check(feed_native_h.fn_llama_state_bytes(handle, maxSeq, bytes));
            return bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /**
     * A new generation state for positions {@code 0 .. maxSeq-1} (0 = the model's seq_len).
     *
     * @throws IllegalArgumentException if maxSeq is out of range
     * @throws IllegalStateException    if the model is closed
     */
    public State newState(int maxSeq) {
        acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeCallStatus.check(feed_native_h.fn_llama_state_create(handle, maxSeq, out));
            return new State(out.get(ValueLayout.ADDRESS, 0), maxSeq == 0 ? config.seqLen() : maxSeq);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Closes the model; the native weights go when the last state is closed too. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    private void ensureOpen(String method) {
        if (closed.get()) {
            throw new IllegalStateException(method + ": the model is closed");
        }
    }

    private void acquire() {
        for (;;) {
            int refs = references.get();
            if (refs == 0 || closed.get()) {
                throw new IllegalStateException("newState: the model is closed");
            }
            if (references.compareAndSet(refs, refs + 1)) {
                return;
            }
        }
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            NativeCallStatus.check(feed_native_h.fn_llama_destroy(handle));
        }
    }

    /**
     * One generation's KV cache and scratch. Feed positions in order: {@code pos} may be at most
     * the number of positions already fed (a smaller one rewinds).
     *
     * <p>Threading: one thread at a time. Lifecycle: {@link #close()} frees the native memory
     * (idempotent); later calls throw {@link IllegalStateException}.
     */
    public final class State implements AutoCloseable {

        private final MemorySegment state;
        private final int maxSeq;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment logits;
        private final AtomicBoolean busy = new AtomicBoolean();
        private boolean stateClosed;

        private State(MemorySegment state, int maxSeq) {
            this.state = state;
            this.maxSeq = maxSeq;
            this.logits = arena.allocate((long) config.vocabSize() * Float.BYTES, 64);
        }

        /** Positions this state can hold. */
        public int maxSeq() {
            return maxSeq;
        }

        /**
         * Feeds {@code token} at {@code pos} and copies the vocab_size logits into {@code out}.
         *
         * @throws IllegalArgumentException if the token or position is out of range, or out is too small
         * @throws IllegalStateException    if the state is closed or in use by another thread
         */
        public void forward(int token, int pos, float[] out) {
            if (out.length < config.vocabSize()) {
                throw new IllegalArgumentException("forward: out has " + out.length + " floats but vocab_size is "
                        + config.vocabSize());
            }
            if (!busy.compareAndSet(false, true)) {
                throw new IllegalStateException("forward: the state is in use by another thread");
            }
            try {
                if (stateClosed) {
                    throw new IllegalStateException("forward: the state is closed");
                }
                NativeCallStatus.check(feed_native_h.fn_llama_forward(state, token, pos, logits));
                MemorySegment.copy(logits, ValueLayout.JAVA_FLOAT, 0, out, 0, config.vocabSize());
            } finally {
                busy.set(false);
            }
        }

        /** Frees the state; idempotent. */
        @Override
        public void close() {
            if (!busy.compareAndSet(false, true)) {
                throw new IllegalStateException("close: the state is in use by another thread");
            }
            boolean wasOpen = !stateClosed;
            stateClosed = true;
            try {
                if (wasOpen) {
                    arena.close();
                    NativeCallStatus.check(feed_native_h.fn_llama_state_destroy(state));
                }
            } finally {
                busy.set(false);
                if (wasOpen) {
                    release();
                }
            }
        }
    }
}

package dev.feedserver.generation.registry;

import java.util.function.ToLongFunction;

/**
 * A model in memory, ready to run tasks. Tasks reach the concrete model through {@link #as}.
 *
 * <p>Lifecycle: made by a {@link ModelLoader}; owned by whoever loaded it (the scheduler), which
 * calls {@link #close()} exactly once, after the last task on it has returned. Threading: the
 * scheduler runs at most {@link ModelSpec#maxConcurrency()} tasks on one instance at once.
 */
public interface LoadedModel extends AutoCloseable {

    /** Returned by {@link #residentBytes()} when the model cannot tell: the registry measures it. */
    long UNKNOWN = -1;

    /**
     * Bytes this instance holds, as its own allocator counts them (native handles know theirs),
     * or {@link #UNKNOWN}: ONNX Runtime sessions and Java objects cannot report theirs, and the
     * registry then measures the process around the load.
     */
    long residentBytes();

    /** The concrete model, e.g. {@code loaded.as(SpeechModel.class)}. */
    <T> T as(Class<T> type);

    /** Frees the model. Called once by its owner; must not throw for an ordinary close. */
    @Override
    void close();

    /**
     * Adapts any closeable model object: {@code residentBytes} reads the figure from it, or
     * returns {@link #UNKNOWN} (pass {@code m -> LoadedModel.UNKNOWN}).
     */
    static <T extends AutoCloseable> LoadedModel of(T model, ToLongFunction<? super T> residentBytes) {
        return new Adapter<>(model, residentBytes);
    }

    /** See {@link LoadedModel#of}. Closing it closes the wrapped model once. */
    final class Adapter<T extends AutoCloseable> implements LoadedModel {
        private final T model;
        private final ToLongFunction<? super T> residentBytes;
        private boolean closed;

        private Adapter(T model, ToLongFunction<? super T> residentBytes) {
            if (model == null || residentBytes == null) {
                throw new IllegalArgumentException("model and residentBytes must not be null");
            }
            this.model = model;
            this.residentBytes = residentBytes;
        }

        @Override
        public long residentBytes() {
            return residentBytes.applyAsLong(model);
        }

        @Override
        public <U> U as(Class<U> type) {
            if (!type.isInstance(model)) {
                throw new ClassCastException("the loaded model is a " + model.getClass().getName() + ", not a " + type.getName());
            }
            return type.cast(model);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                model.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + model.getClass().getSimpleName() + " failed", e);
            }
        }
    }
}

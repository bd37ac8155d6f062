package dev.feedserver.generation.text;

/**
 * One generation's decoder state (its KV cache and scratch) on a {@link LlamaModel}.
 *
 * <p>Threading: one thread at a time; sessions of one model may run concurrently on different
 * threads. Lifecycle: {@link #close()} frees the state (idempotent); a closed session throws
 * {@link IllegalStateException}.
 */
public interface LlamaSession extends AutoCloseable {

    /**
     * Feeds {@code token} at position {@code pos} and writes the vocabulary's logits into
     * {@code logits}. Positions must be fed in order: {@code pos} may be at most the number of
     * positions already fed (a smaller one rewinds), and below {@link #maxSeq()}.
     *
     * @throws IllegalArgumentException if the token or position is out of range
     */
    void forward(int token, int pos, float[] logits);

    /** Positions this session can hold. */
    int maxSeq();

    @Override
    void close();
}

package dev.feedserver.ranking.content;

import java.util.List;

/**
 * Turns item text (title, tags, body) into content embeddings: fixed-width, L2-normalised float
 * vectors where texts about the same thing point the same way. The ranking module only sees
 * this interface; the server wires in the MiniLM ONNX encoder (module {@code onnx}) and tests use
 * small deterministic encoders.
 *
 * <p>Threading: implementations must be safe for concurrent {@link #encode} calls.
 * Lifecycle: an encoder may hold native resources; {@link #close} frees them and is idempotent.
 */
public interface TextEncoder extends AutoCloseable {

    /** Width of every embedding this encoder returns. */
    int dimension();

    /** A short stable name for logs, metrics and model files, e.g. {@code all-MiniLM-L6-v2-q}. */
    String name();

    /**
     * Embeds a batch of texts, one unit-length vector (or all zeros for a text with no tokens)
     * per text, in order. Batching is the caller's job: pass as many texts as are at hand.
     *
     * @throws IllegalArgumentException if a text is null
     */
    float[][] encode(List<String> texts);

    @Override
    void close();
}

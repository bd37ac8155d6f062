package dev.feedserver.server.cli;

import dev.feedserver.onnx.text.MiniLmOptions;
import dev.feedserver.onnx.text.MiniLmTextEncoder;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.content.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the content encoder {@code --content-encoder} names. MiniLM needs ONNX Runtime and the
 * DJL tokenizer's native library; when either cannot load, the server logs why loudly and runs
 * without content embeddings rather than not at all.
 */
final class ContentEncoders {
    private static final Logger LOG = LoggerFactory.getLogger(ContentEncoders.class);
    /** Width of the hashing encoder: the same as MiniLM's, so the feature schema keeps its shape. */
    static final int HASHING_DIMENSION = 384;
    private static final java.util.concurrent.atomic.AtomicInteger LOAD_FAILURES = new java.util.concurrent.atomic.AtomicInteger();

    private ContentEncoders() {
    }

    /** Encoders that failed to load in this process: {@code feedserver_content_encoder_load_failures} (1 = running without content embeddings). */
    static int loadFailures() {
        return LOAD_FAILURES.get();
    }

    /** The encoder, or null for none. */
    static TextEncoder open(String name) {
        return switch (name) {
            case "none" -> null;
            case "hashing" -> new HashingTextEncoder(HASHING_DIMENSION);
            case "minilm" -> {
                try {
                    yield MiniLmTextEncoder.open(MiniLmOptions.defaults());
                } catch (RuntimeException | LinkageError e) {
                    LOAD_FAILURES.incrementAndGet();
                    LOG.error("content encoder: MiniLM could not load ({}); running WITHOUT content embeddings", e.toString());
                    yield null;
                }
            }
            default -> throw new IllegalArgumentException("--content-encoder must be minilm, hashing or none, got '" + name + "'");
        };
    }
}

package dev.feedserver.onnx.text;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of {@link MiniLmTextEncoder}, validated on construction. Immutable.
 *
 * @param maxTokens      tokens kept per text, [CLS] and [SEP] included; longer texts are cut at
 *                       the end. Default 128, range [8, 256] (MiniLM was trained on up to 256)
 * @param batchSize      texts per ONNX Runtime run, padded to the longest. Default 1: each text
 *                       runs alone, so its vector never depends on which texts share the call.
 *                       The model quantizes its activations with one range per run, so in a
 *                       run of several texts each vector moves with its neighbours, not
 *                       with its padding (cosine about 0.99 against the text alone, 0.977 for
 *                       a one-word text); in exchange 32 is 1.0x to 1.9x as fast. Bounds
 *                       the memory of one run: the output is {@code batchSize x maxTokens x
 *                       384} floats (6 MiB at 32 x 128). Range [1, 1024]
 * @param intraOpThreads threads one run may use, so ingestion takes no more cores than it was
 *                       given. Default 1, at least 1
 * @param nativeCacheDir where DJL extracts its tokenizer library before loading it (the
 *                       process-wide {@code ENGINE_CACHE_DIR}; ignored when the environment or
 *                       a system property already sets it, and when DJL is already loaded).
 *                       Default {@code ${java.io.tmpdir}/feedserver-djl-${user.name}}, created
 *                       owner-only
 */
public record MiniLmOptions(int maxTokens, int batchSize, int intraOpThreads, Path nativeCacheDir) {

    public static final int DEFAULT_MAX_TOKENS = 128;
    public static final int MAX_TOKENS_LIMIT = 256;
    public static final int DEFAULT_BATCH_SIZE = 1;
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    public MiniLmOptions {
        if (maxTokens < 8 || maxTokens > MAX_TOKENS_LIMIT) {
            throw new IllegalArgumentException("maxTokens must be in [8, " + MAX_TOKENS_LIMIT + "], got " + maxTokens);
        }
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("batchSize must be in [1, 1024], got " + batchSize);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
        Objects.requireNonNull(nativeCacheDir, "nativeCacheDir");
    }

    /** All defaults: 128 tokens, one text per run, one thread, the cache under java.io.tmpdir. */
    public static MiniLmOptions defaults() {
        return new MiniLmOptions(DEFAULT_MAX_TOKENS, DEFAULT_BATCH_SIZE, DEFAULT_INTRA_OP_THREADS, defaultNativeCacheDir());
    }

    /** {@code ${java.io.tmpdir}/feedserver-djl-${user.name}}: per user, so no one else can plant a library there. */
    public static Path defaultNativeCacheDir() {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "feedserver-djl-" + user);
    }

    public MiniLmOptions withMaxTokens(int value) {
        return new MiniLmOptions(value, batchSize, intraOpThreads, nativeCacheDir);
    }

    public MiniLmOptions withBatchSize(int value) {
        return new MiniLmOptions(maxTokens, value, intraOpThreads, nativeCacheDir);
    }

    public MiniLmOptions withIntraOpThreads(int value) {
        return new MiniLmOptions(maxTokens, batchSize, value, nativeCacheDir);
    }

    public MiniLmOptions withNativeCacheDir(Path value) {
        return new MiniLmOptions(maxTokens, batchSize, intraOpThreads, value);
    }
}

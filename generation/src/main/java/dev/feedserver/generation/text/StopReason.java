package dev.feedserver.generation.text;

/** Why a generation ended. */
public enum StopReason {
    /** The token budget ({@link GenerationParams#maxNewTokens()}) was used up. */
    MAX_TOKENS,
    /** The model emitted EOS (or BOS). */
    EOS,
    /** A stop string appeared; the text ends before it. */
    STOP_STRING,
    /** The context (the model's seq_len) is full. */
    CONTEXT_FULL,
    /** The caller cancelled. */
    CANCELLED
}

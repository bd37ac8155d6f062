package dev.feedserver.generation.registry;

/** What a registered model produces. Used for reporting and by planners choosing a model per stage. */
public enum ModelKind {
    /** Generates text (a decoder such as the native Llama model). */
    TEXT,
    /** Turns text into vectors (MiniLM). */
    EMBEDDING,
    /** Turns text into audio (FreeTTS). */
    SPEECH,
    IMAGE,
    VIDEO,
    /** Any other ONNX graph run through ONNX Runtime (for example an exported ranker MLP). */
    ONNX
}

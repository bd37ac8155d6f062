package dev.feedserver.generation.text;

/** How a {@link LlamaModel} holds its matrices. */
public enum WeightMode {
    /** float32, as in the checkpoint. */
    FLOAT32,
    /** int8 quantized at load, one float scale per group of values along each row (native only). */
    INT8
}

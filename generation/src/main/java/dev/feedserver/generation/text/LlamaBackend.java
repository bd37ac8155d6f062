package dev.feedserver.generation.text;

/** What runs a {@link LlamaModel}'s forward pass. */
public enum LlamaBackend {
    /** libfeednative ({@code fn_llama_*}): float or int8 weights, SIMD kernels. */
    NATIVE,
    /** {@link ReferenceLlama}: plain Java float loops. */
    JAVA
}

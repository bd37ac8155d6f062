package dev.feedserver.generation.registry;

/**
 * The runtime a model runs on. It decides how its memory is measured once loaded: a
 * {@link #NATIVE} model reports the bytes its native handle allocated; {@link #ONNX_RUNTIME}
 * and {@link #JAVA} models are measured from the outside (see {@link FootprintMeter}).
 */
public enum Backend {
    /** Our own C++ kernels in {@code native/} (off-heap, self-reporting). */
    NATIVE,
    /** ONNX Runtime Java: CUDA execution provider when present, CPU otherwise. */
    ONNX_RUNTIME,
    /** Plain Java on the heap (FreeTTS). */
    JAVA
}

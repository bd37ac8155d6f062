package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * Vector kernels for retrieval and scoring: batched dot products (float and int8), top-k
 * selection and L2 normalisation, over native {@link MemorySegment}s. Arguments are checked
 * before any work (an {@link IllegalArgumentException} names the problem).
 *
 * <p>{@link #get()} returns the native implementation or, when the library cannot load, the
 * pure-Java one ({@link KernelBackend}). Integer results and top-k selections are identical
 * between them; float dot products agree to float rounding (summation order differs).
 *
 * <p>Threading: implementations are stateless and thread-safe.
 */
public interface VectorKernels {

    /** The implementation for {@link KernelBackend#current()}. */
    static VectorKernels get() {
        return KernelBackend.current() == KernelBackend.NATIVE ? NativeVectorKernels.INSTANCE : JavaVectorKernels.INSTANCE;
    }

    /** {@code out[r] = sum_k matrix[r*rowStride + k] * query[k]}, float. See {@link NativeKernels#dotF32Batch}. */
    void dotF32Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out);

    /** Exact int32 dot products over int8. See {@link NativeKernels#dotS8Batch}. */
    void dotS8Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out);

    /**
     * The {@code k} largest of {@code n} float scores, best first; ties keep the lower index;
     * NaN is never selected. Writes {@code min(k, n)} (fewer if NaNs) indexes and scores and
     * returns the count.
     */
    int topKF32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore);

    /** As {@link #topKF32} over int32 scores. */
    int topKS32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore);

    /** Scales each row to unit L2 norm in place; zero or non-finite-norm rows are unchanged. */
    void l2Normalize(MemorySegment rows, long nRows, long rowStride, int dim);
}

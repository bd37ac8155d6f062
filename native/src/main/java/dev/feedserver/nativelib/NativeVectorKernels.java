package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link VectorKernels} through libfeednative. Stateless apart from a per-thread 4-byte
 * out-parameter cell, so calls allocate nothing after a thread's first top-k.
 */
final class NativeVectorKernels implements VectorKernels {
    static final NativeVectorKernels INSTANCE = new NativeVectorKernels();

    private static final ThreadLocal<MemorySegment> COUNT = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_INT));

    private NativeVectorKernels() {
    }

    @Override
    public void dotF32Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out) {
        NativeKernels.dotF32Batch(matrix, rows, rowStride, query, dim, out);
    }

    @Override
    public void dotS8Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out) {
        NativeKernels.dotS8Batch(matrix, rows, rowStride, query, dim, out);
    }

    @Override
    public int topKF32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore) {
        SegmentChecks.checkTopK("topKF32", scores, n, k, outIndex, outScore, Float.BYTES);
        MemorySegment count = COUNT.get();
        NativeKernels.check(feed_native_h.fn_topk_f32(scores, n, k, outIndex, outScore, count));
        return count.get(ValueLayout.JAVA_INT, 0);
    }

    @Override
    public int topKS32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore) {
        SegmentChecks.checkTopK("topKS32", scores, n, k, outIndex, outScore, Integer.BYTES);
        MemorySegment count = COUNT.get();
        NativeKernels.check(feed_native_h.fn_topk_s32(scores, n, k, outIndex, outScore, count));
        return count.get(ValueLayout.JAVA_INT, 0);
    }

    @Override
    public void l2Normalize(MemorySegment rows, long nRows, long rowStride, int dim) {
        SegmentChecks.checkRows("l2Normalize", rows, nRows, rowStride, dim);
        NativeKernels.check(feed_native_h.fn_l2_normalize_f32(rows, nRows, rowStride, dim));
    }
}

package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java {@link VectorKernels}: the fallback when the native library cannot load, and the
 * reference the native paths are tested against. Same argument checks and results as the
 * native implementation (float dot products up to summation order). Stateless.
 */
final class JavaVectorKernels implements VectorKernels {
    static final JavaVectorKernels INSTANCE = new JavaVectorKernels();

    private JavaVectorKernels() {
    }

    @Override
    public void dotF32Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out) {
        SegmentChecks.checkBatch("dotF32Batch", matrix, rows, rowStride, query, dim, out, Float.BYTES, Float.BYTES);
        for (long r = 0; r < rows; r++) {
            long base = r * rowStride;
            float sum = 0;
            for (int k = 0; k < dim; k++) {
                sum += matrix.getAtIndex(ValueLayout.JAVA_FLOAT, base + k) * query.getAtIndex(ValueLayout.JAVA_FLOAT, k);
            }
            out.setAtIndex(ValueLayout.JAVA_FLOAT, r, sum);
        }
    }

    @Override
    public void dotS8Batch(MemorySegment matrix, long rows, long rowStride, MemorySegment query, int dim, MemorySegment out) {
        SegmentChecks.checkBatch("dotS8Batch", matrix, rows, rowStride, query, dim, out, Byte.BYTES, Integer.BYTES);
        for (long r = 0; r < rows; r++) {
            long base = r * rowStride;
            int sum = 0;
            for (int k = 0; k < dim; k++) {
                sum += matrix.get(ValueLayout.JAVA_BYTE, base + k) * query.get(ValueLayout.JAVA_BYTE, k);
            }
            out.setAtIndex(ValueLayout.JAVA_INT, r, sum);
        }
    }

    @Override
    public int topKF32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore) {
        SegmentChecks.checkTopK("topKF32", scores, n, k, outIndex, outScore, Float.BYTES);
        return select(n, k, outIndex, i -> scores.getAtIndex(ValueLayout.JAVA_FLOAT, i),
                (slot, i) -> outScore.setAtIndex(ValueLayout.JAVA_FLOAT, slot, scores.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
    }

    @Override
    public int topKS32(MemorySegment scores, long n, int k, MemorySegment outIndex, MemorySegment outScore) {
        SegmentChecks.checkTopK("topKS32", scores, n, k, outIndex, outScore, Integer.BYTES);
        return select(n, k, outIndex, i -> scores.getAtIndex(ValueLayout.JAVA_INT, i),
                (slot, i) -> outScore.setAtIndex(ValueLayout.JAVA_INT, slot, scores.getAtIndex(ValueLayout.JAVA_INT, i)));
    }

    @Override
    public void l2Normalize(MemorySegment rows, long nRows, long rowStride, int dim) {
        SegmentChecks.checkRows("l2Normalize", rows, nRows, rowStride, dim);
        for (long r = 0; r < nRows; r++) {
            long base = r * rowStride;
            double sum = 0;
            for (int k = 0; k < dim; k++) {
                float v = rows.getAtIndex(ValueLayout.JAVA_FLOAT, base + k);
                sum += (double) v * v;
            }
            if (!(sum > 0) || Double.isInfinite(sum)) {
                continue;
            }
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int k = 0; k < dim; k++) {
                rows.setAtIndex(ValueLayout.JAVA_FLOAT, base + k, rows.getAtIndex(ValueLayout.JAVA_FLOAT, base + k) * inv);
            }
        }
    }

    /** Score source as a double so one selection routine serves float and int32 (both fit exactly). */
    private interface Scores {
        double at(long index);
    }

    private interface ScoreCopy {
        void copy(long slot, long index);
    }

    /** Same order as the native kernel: higher score first, lower index first on ties, NaN skipped. */
    private static int select(long n, int k, MemorySegment outIndex, Scores scores, ScoreCopy copyScore) {
        int[] heap = new int[(int) Math.min(k, n)];
        int size = 0;
        for (int i = 0; i < n; i++) {
            double s = scores.at(i);
            if (Double.isNaN(s)) {
                continue;
            }
            if (size < heap.length) {
                heap[size] = i;
                int c = size++;
                while (c > 0 && worse(scores, heap[c], heap[(c - 1) / 2])) {
                    swap(heap, c, (c - 1) / 2);
                    c = (c - 1) / 2;
                }
            } else if (heap.length > 0 && worse(scores, heap[0], i)) {
                heap[0] = i;
                siftDown(scores, heap, 0, size);
            }
        }
        int count = size;
        while (size > 1) {
            swap(heap, 0, size - 1);
            siftDown(scores, heap, 0, --size);
        }
        for (int slot = 0; slot < count; slot++) {
            outIndex.setAtIndex(ValueLayout.JAVA_INT, slot, heap[slot]);
            copyScore.copy(slot, heap[slot]);
        }
        return count;
    }

    /** True when entry {@code a} ranks below entry {@code b}. */
    private static boolean worse(Scores scores, int a, int b) {
        double sa = scores.at(a);
        double sb = scores.at(b);
        return sa < sb || (sa == sb && a > b);
    }

    private static void siftDown(Scores scores, int[] heap, int i, int size) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int w = l + 1 < size && worse(scores, heap[l + 1], heap[l]) ? l + 1 : l;
            if (!worse(scores, heap[w], heap[i])) {
                return;
            }
            swap(heap, w, i);
            i = w;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}

package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * Java-side argument validation for the batch kernels: after these checks pass, the native
 * code can only touch memory inside the given segments. Allocation-free unless it throws.
 */
final class SegmentChecks {

    private SegmentChecks() {}

    /**
     * @param elementBytes bytes per matrix/query element
     * @param outBytes     bytes per output element
     */
    static void checkBatch(String function, MemorySegment matrix, long rows, long rowStride,
                           MemorySegment query, int dim, MemorySegment out, long elementBytes, long outBytes) {
        requireUsable(function, matrix, "matrix");
        requireUsable(function, query, "query");
        requireUsable(function, out, "out");
        if (out.isReadOnly()) {
            throw fail(function, "out is a read-only segment");
        }
        if (rows < 0) {
            throw fail(function, "rows must be >= 0 (got " + rows + ")");
        }
        if (dim <= 0) {
            throw fail(function, "dim must be > 0 (got " + dim + ")");
        }
        if (rowStride < dim) {
            throw fail(function, "rowStride must be >= dim (got rowStride=" + rowStride + ", dim=" + dim + ")");
        }
        long queryBytes = dim * elementBytes;
        if (query.byteSize() < queryBytes) {
            throw fail(function, "query too small: dim=" + dim + " needs " + queryBytes
                    + " bytes but query.byteSize()=" + query.byteSize());
        }
        if (rows == 0) {
            return;
        }
        long matrixBytes;
        long outNeeded;
        try {
            long elements = Math.addExact(Math.multiplyExact(rows - 1, rowStride), dim);
            matrixBytes = Math.multiplyExact(elements, elementBytes);
            outNeeded = Math.multiplyExact(rows, outBytes);
        } catch (ArithmeticException e) {
            throw fail(function, "matrix extent overflows (rows=" + rows + ", rowStride=" + rowStride + ", dim=" + dim + ")");
        }
        if (matrix.byteSize() < matrixBytes) {
            throw fail(function, "matrix too small: rows=" + rows + ", rowStride=" + rowStride + ", dim=" + dim
                    + " needs (rows-1)*rowStride+dim elements = " + matrixBytes
                    + " bytes but matrix.byteSize()=" + matrix.byteSize());
        }
        if (out.byteSize() < outNeeded) {
            throw fail(function, "out too small: rows=" + rows + " needs " + outNeeded
                    + " bytes but out.byteSize()=" + out.byteSize());
        }
    }

    private static void requireUsable(String function, MemorySegment segment, String name) {
        if (segment == null) {
            throw fail(function, name + " is null");
        }
        if (!segment.isNative()) {
            throw fail(function, name + " must be a native (off-heap or mapped) segment, not a heap segment");
        }
        if (segment.address() == 0) {
            throw fail(function, name + " is the NULL segment");
        }
        if (!segment.scope().isAlive()) {
            throw fail(function, name + " belongs to an arena that is already closed");
        }
    }

    private static IllegalArgumentException fail(String function, String message) {
        return new IllegalArgumentException(function + ": " + message);
    }
}

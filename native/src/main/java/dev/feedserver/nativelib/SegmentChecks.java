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

    /** Checks a top-k call: {@code n} scores of {@code scoreBytes} each, {@code k} outputs. */
    static void checkTopK(String function, MemorySegment scores, long n, int k, MemorySegment outIndex,
                          MemorySegment outScore, long scoreBytes) {
        requireUsable(function, scores, "scores");
        requireUsable(function, outIndex, "outIndex");
        requireUsable(function, outScore, "outScore");
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw fail(function, "n must be in [0, 2^31-1] (got " + n + ")");
        }
        if (k < 1) {
            throw fail(function, "k must be >= 1 (got " + k + ")");
        }
        if (scores.byteSize() < n * scoreBytes) {
            throw fail(function, "scores too small: n=" + n + " needs " + n * scoreBytes + " bytes but scores.byteSize()=" + scores.byteSize());
        }
        long kept = Math.min(k, n);
        if (outIndex.byteSize() < kept * Integer.BYTES || outScore.byteSize() < kept * scoreBytes) {
            throw fail(function, "outputs too small for min(k, n)=" + kept + " entries");
        }
        if (outIndex.isReadOnly() || outScore.isReadOnly()) {
            throw fail(function, "outputs must be writable");
        }
    }

    /** Checks an in-place row operation over {@code rows} float rows. */
    static void checkRows(String function, MemorySegment rows, long nRows, long rowStride, int dim) {
        requireUsable(function, rows, "rows");
        if (rows.isReadOnly()) {
            throw fail(function, "rows is a read-only segment");
        }
        if (nRows < 0) {
            throw fail(function, "nRows must be >= 0 (got " + nRows + ")");
        }
        if (dim <= 0) {
            throw fail(function, "dim must be > 0 (got " + dim + ")");
        }
        if (rowStride < dim) {
            throw fail(function, "rowStride must be >= dim (got rowStride=" + rowStride + ", dim=" + dim + ")");
        }
        if (nRows > 0) {
            long needed;
            try {
                needed = Math.multiplyExact(Math.addExact(Math.multiplyExact(nRows - 1, rowStride), dim), (long) Float.BYTES);
            } catch (ArithmeticException e) {
                throw fail(function, "extent overflows (nRows=" + nRows + ", rowStride=" + rowStride + ")");
            }
            if (rows.byteSize() < needed) {
                throw fail(function, "rows too small: needs " + needed + " bytes but rows.byteSize()=" + rows.byteSize());
            }
        }
    }

    /** Non-null, native with a non-NULL address, and alive; shared by every *Checks class. */
    static void requireUsable(String function, MemorySegment segment, String name) {
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

    static IllegalArgumentException fail(String function, String message) {
        return new IllegalArgumentException(function + ": " + message);
    }
}

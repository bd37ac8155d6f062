package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Java-side validation for {@link Int8Gemm} and {@link QuantizedMlp}: after these checks pass,
 * native code only touches memory inside the given segments. Messages start with the method
 * name and say what is wrong. Allocation-free unless it throws.
 */
final class GemmChecks {

    private GemmChecks() {}

    static IllegalArgumentException fail(String function, String message) {
        return new IllegalArgumentException(function + ": " + message);
    }

    /** Non-null, alive, and native (with a non-NULL address) when {@code requireNative}. */
    static void usable(String function, MemorySegment segment, String name, boolean requireNative) {
        if (requireNative) {
            SegmentChecks.requireUsable(function, segment, name);
            return;
        }
        if (segment == null) {
            throw fail(function, name + " is null");
        }
        if (!segment.scope().isAlive()) {
            throw fail(function, name + " belongs to an arena that is already closed");
        }
    }

    static void writable(String function, MemorySegment segment, String name, boolean requireNative) {
        usable(function, segment, name, requireNative);
        if (segment.isReadOnly()) {
            throw fail(function, name + " is a read-only segment");
        }
    }

    /** Bytes spanned by rows rows of width elements, ld elements apart ({@code rows >= 1}). */
    static long extent(String function, String name, long rows, long width, long ld, long elementBytes) {
        try {
            return Math.multiplyExact(Math.addExact(Math.multiplyExact(rows - 1, ld), width), elementBytes);
        } catch (ArithmeticException e) {
            throw fail(function, "extent of " + name + " overflows (rows=" + rows + ", ld=" + ld + ")");
        }
    }

    /** A segment holding rows x width elements, ld apart. */
    static void matrix(String function, MemorySegment segment, String name, long rows, long width, long ld,
                       String ldName, long elementBytes) {
        if (ld < width) {
            throw fail(function, ldName + " must be >= " + width + ", the row width of " + name + " (got " + ld + ")");
        }
        if (rows == 0) {
            return;
        }
        long need = extent(function, name, rows, width, ld, elementBytes);
        if (segment.byteSize() < need) {
            throw fail(function, name + " too small: " + rows + " rows of " + width + " elements, " + ldName + "=" + ld
                    + " need " + need + " bytes but " + name + ".byteSize()=" + segment.byteSize());
        }
    }

    /** Every one of the first rows int32 values of index is in [0, bound); reads them once. */
    static void indexesBelow(String function, MemorySegment index, long rows, long bound) {
        for (long r = 0; r < rows; r++) {
            int v = index.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r);
            if (v < 0 || v >= bound) {
                throw fail(function, "index[" + r + "]=" + v + " is out of range 0.." + (bound - 1) + " (tableRows="
                        + bound + ")");
            }
        }
    }

    static void floats(String function, MemorySegment segment, String name, long count, boolean requireNative) {
        usable(function, segment, name, requireNative);
        if (segment.byteSize() < count * Float.BYTES) {
            throw fail(function, name + " too small: " + count + " floats need " + count * Float.BYTES
                    + " bytes but " + name + ".byteSize()=" + segment.byteSize());
        }
    }

    static void pack(String function, MemorySegment w, int n, int k, long ld, MemorySegment packed,
                     boolean requireNative) {
        if (n < 1 || n > PackedWeights.MAX_N) {
            throw fail(function, "n must be in 1.." + PackedWeights.MAX_N + " (got " + n + ")");
        }
        if (k < 1) {
            throw fail(function, "k must be >= 1 (got " + k + ")");
        }
        usable(function, w, "w", requireNative);
        writable(function, packed, "packed", requireNative);
        matrix(function, w, "w", n, k, ld, "ld", 1);
        long need = PackedWeights.size(n, k);
        if (packed.byteSize() < need) {
            throw fail(function, "packed too small: n=" + n + ", k=" + k + " needs " + need
                    + " bytes (packedSize) but packed.byteSize()=" + packed.byteSize());
        }
    }

    static void gemm(String function, MemorySegment a, long m, int k, long lda, int aZeroPoint, MemorySegment packedW,
                     int n, Int8Gemm.Epilogue ep, MemorySegment out, long ldo, boolean requireNative) {
        if (m < 0) {
            throw fail(function, "m must be >= 0 (got " + m + ")");
        }
        if (k < 1) {
            throw fail(function, "k must be >= 1 (got " + k + ")");
        }
        if (n < 1) {
            throw fail(function, "n must be >= 1 (got " + n + ")");
        }
        if (aZeroPoint < 0 || aZeroPoint > 255) {
            throw fail(function, "aZeroPoint must be in 0..255 (got " + aZeroPoint + ")");
        }
        if (ep == null) {
            throw fail(function, "ep is null");
        }
        usable(function, a, "a", requireNative);
        usable(function, packedW, "packedW", requireNative);
        writable(function, out, "out", requireNative);
        matrix(function, a, "a", m, k, lda, "lda", 1);
        matrix(function, out, "out", m, n, ldo, "ldo", ep.output().bytes());
        PackedWeights.check(function, packedW, n, k);
        epilogue(function, ep, m, n, requireNative);
    }

    static void epilogue(String function, Int8Gemm.Epilogue ep, long m, int n, boolean requireNative) {
        if (ep.output() == Int8Gemm.Output.S32) {
            if (ep.rowScale() != null || ep.colScale() != null || ep.bias() != null
                    || ep.activation() != Int8Gemm.Activation.NONE) {
                throw fail(function, "S32 output stores the raw accumulators: rowScale, colScale and bias must be null "
                        + "and the activation NONE (got " + ep.activation() + ")");
            }
            return;
        }
        if (ep.colScale() == null) {
            throw fail(function, "ep.colScale() is null (required unless the output is S32)");
        }
        floats(function, ep.colScale(), "ep.colScale()", n, requireNative);
        if (ep.rowScale() != null) {
            floats(function, ep.rowScale(), "ep.rowScale()", m, requireNative);
        }
        if (ep.bias() != null) {
            floats(function, ep.bias(), "ep.bias()", n, requireNative);
        }
        if (ep.output() == Int8Gemm.Output.S8 || ep.output() == Int8Gemm.Output.U8) {
            if (!(ep.outScale() > 0) || !Float.isFinite(ep.outScale())) {
                throw fail(function, "ep.outScale() must be finite and > 0 for " + ep.output() + " output (got "
                        + ep.outScale() + ")");
            }
            int lo = ep.output() == Int8Gemm.Output.S8 ? -128 : 0;
            int hi = ep.output() == Int8Gemm.Output.S8 ? 127 : 255;
            if (ep.outZeroPoint() < lo || ep.outZeroPoint() > hi) {
                throw fail(function, "ep.outZeroPoint() must be in " + lo + ".." + hi + " for " + ep.output()
                        + " output (got " + ep.outZeroPoint() + ")");
            }
        }
    }

    static void gemmF32(String function, MemorySegment a, long m, int k, long lda, MemorySegment w, int n, long ldw,
                        MemorySegment bias, Int8Gemm.Activation activation, MemorySegment out, long ldo,
                        boolean requireNative) {
        if (m < 0) {
            throw fail(function, "m must be >= 0 (got " + m + ")");
        }
        if (k < 1) {
            throw fail(function, "k must be >= 1 (got " + k + ")");
        }
        if (n < 1) {
            throw fail(function, "n must be >= 1 (got " + n + ")");
        }
        if (activation == null) {
            throw fail(function, "activation is null");
        }
        usable(function, a, "a", requireNative);
        usable(function, w, "w", requireNative);
        writable(function, out, "out", requireNative);
        matrix(function, a, "a", m, k, lda, "lda", Float.BYTES);
        matrix(function, w, "w", n, k, ldw, "ldw", Float.BYTES);
        matrix(function, out, "out", m, n, ldo, "ldo", Float.BYTES);
        if (bias != null) {
            floats(function, bias, "bias", n, requireNative);
        }
    }
}

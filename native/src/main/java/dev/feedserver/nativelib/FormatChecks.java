package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * Argument validation shared by every {@link NumberFormats} and {@link Quantizer}
 * implementation, so that both backends accept and reject exactly the same calls. After these
 * checks pass, native code can only touch memory inside the given segments. Allocation-free
 * unless it throws; every failure is an {@link IllegalArgumentException} whose message starts
 * with the Java method name and names the problem.
 */
final class FormatChecks {

    private FormatChecks() {}

    /** {@code in} holds n elements of inBytes, {@code out} (writable) n elements of outBytes; n >= 0. */
    static void checkInOut(String function, MemorySegment in, long n, long inBytes, MemorySegment out, long outBytes) {
        requireUsable(function, in, "in");
        requireWritable(function, out, "out");
        if (n < 0) {
            throw fail(function, "n must be >= 0 (got " + n + ")");
        }
        requireSize(function, in, "in", n, inBytes);
        requireSize(function, out, "out", n, outBytes);
    }

    /** {@code in} holds n >= 1 floats. */
    static void checkNonEmptyFloats(String function, MemorySegment in, long n) {
        requireUsable(function, in, "in");
        if (n < 1) {
            throw fail(function, "n must be >= 1 (got " + n + ")");
        }
        requireSize(function, in, "in", n, Float.BYTES);
    }

    static void checkFormat(String function, Fp8Format format) {
        if (format == null) {
            throw fail(function, "format is null");
        }
    }

    static void checkScale(String function, float scale) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw fail(function, "scale must be finite and > 0 (got " + scale + ")");
        }
    }

    static void checkZeroPoint(String function, int zeroPoint) {
        if (zeroPoint < 0 || zeroPoint > 255) {
            throw fail(function, "zeroPoint must be in [0, 255] (got " + zeroPoint + ")");
        }
    }

    /** n >= 1 floats in {@code in}, a disjoint writable scratch of n floats, 0 < percentile <= 100. */
    static void checkPercentile(String function, MemorySegment in, long n, double percentile, MemorySegment scratch) {
        checkNonEmptyFloats(function, in, n);
        requireWritable(function, scratch, "scratch");
        requireSize(function, scratch, "scratch", n, Float.BYTES);
        if (!(percentile > 0 && percentile <= 100)) {
            throw fail(function, "percentile must be in (0, 100] (got " + percentile + ")");
        }
        long bytes = n * Float.BYTES; // cannot overflow: in holds that many bytes
        long a = in.address();
        long s = scratch.address();
        if (a < s + bytes && s < a + bytes) {
            throw fail(function, "scratch overlaps in (the input must be left untouched)");
        }
    }

    /** rows x cols floats ld apart in {@code in}; rows floats in scales; rows * cols bytes in out. */
    static void checkRows(String function, MemorySegment in, long rows, long cols, long ld,
                          MemorySegment scales, MemorySegment out) {
        requireUsable(function, in, "in");
        requireWritable(function, scales, "scales");
        requireWritable(function, out, "out");
        if (rows < 0) {
            throw fail(function, "rows must be >= 0 (got " + rows + ")");
        }
        if (cols < 1) {
            throw fail(function, "cols must be >= 1 (got " + cols + ")");
        }
        if (ld < cols) {
            throw fail(function, "ld must be >= cols (got ld=" + ld + ", cols=" + cols + ")");
        }
        if (rows == 0) {
            return;
        }
        long inElements;
        long outBytes;
        try {
            inElements = Math.addExact(Math.multiplyExact(rows - 1, ld), cols);
            Math.multiplyExact(inElements, Float.BYTES);
            outBytes = Math.multiplyExact(rows, cols);
        } catch (ArithmeticException e) {
            throw fail(function, "matrix extent overflows (rows=" + rows + ", cols=" + cols + ", ld=" + ld + ")");
        }
        if (in.byteSize() < inElements * Float.BYTES) {
            throw fail(function, "in too small: rows=" + rows + ", cols=" + cols + ", ld=" + ld
                    + " needs (rows-1)*ld+cols floats = " + inElements * Float.BYTES
                    + " bytes but in.byteSize()=" + in.byteSize());
        }
        requireSize(function, scales, "scales", rows, Float.BYTES);
        if (out.byteSize() < outBytes) {
            throw fail(function, "out too small: rows*cols=" + outBytes + " bytes but out.byteSize()=" + out.byteSize());
        }
    }

    private static void requireSize(String function, MemorySegment segment, String name, long count, long elementBytes) {
        long needed;
        try {
            needed = Math.multiplyExact(count, elementBytes);
        } catch (ArithmeticException e) {
            throw fail(function, name + " extent overflows (n=" + count + ")");
        }
        if (segment.byteSize() < needed) {
            throw fail(function, name + " too small: n=" + count + " needs " + needed + " bytes but "
                    + name + ".byteSize()=" + segment.byteSize());
        }
    }

    private static void requireWritable(String function, MemorySegment segment, String name) {
        requireUsable(function, segment, name);
        if (segment.isReadOnly()) {
            throw fail(function, name + " is a read-only segment");
        }
    }

    private static void requireUsable(String function, MemorySegment segment, String name) {
        SegmentChecks.requireUsable(function, segment, name);
    }

    static IllegalArgumentException fail(String function, String message) {
        return new IllegalArgumentException(function + ": " + message);
    }
}

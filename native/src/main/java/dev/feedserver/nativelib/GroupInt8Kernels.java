package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * The group-wise int8 matrix-vector product behind {@link NativeLlama}'s int8 mode, exposed for
 * conformance tests ({@code fn_matvec_q8}).
 *
 * <p>Layout: {@code rows} rows of {@code groups * groupSize} int8 values (row r at
 * {@code r * groups * groupSize}), values in -127..127; weight scales group-major
 * ({@code wScales[g * rows + r]}); the vector has {@code groups * groupSize} int8 values and
 * one scale per group. {@code groupSize} is a multiple of 32 up to 1024. Segments must be
 * native. The integer group dots are exact, and {@link #matvecQ8} is bit-identical across ISA
 * paths.
 *
 * <p>Threading: stateless and thread-safe.
 */
public final class GroupInt8Kernels {

    private GroupInt8Kernels() {}

    /** {@code out[r] = sum_g (float) dot(r, g) * (wScales[g * rows + r] * xScales[g])}, g ascending. */
    public static void matvecQ8(MemorySegment w, MemorySegment wScales, int rows, int groups, int groupSize,
                                MemorySegment x, MemorySegment xScales, MemorySegment out) {
        checkShape("matvecQ8", w, rows, groups, groupSize, x);
        need("matvecQ8", wScales, "wScales", (long) rows * groups * Float.BYTES);
        need("matvecQ8", xScales, "xScales", (long) groups * Float.BYTES);
        need("matvecQ8", out, "out", (long) rows * Float.BYTES);
        if (out.isReadOnly()) {
            throw SegmentChecks.fail("matvecQ8", "out is read-only");
        }
        NativeKernels.check(feed_native_h.fn_matvec_q8(w, wScales, rows, groups, groupSize, x, xScales, out));
    }

    private static void checkShape(String fn, MemorySegment w, int rows, int groups, int groupSize, MemorySegment x) {
        if (rows < 1 || groups < 1) {
            throw new IllegalArgumentException(fn + ": rows and groups must be >= 1 (got rows=" + rows + ", groups="
                    + groups + ")");
        }
        if (groupSize < 32 || groupSize > 1024 || groupSize % 32 != 0) {
            throw new IllegalArgumentException(fn + ": groupSize must be a multiple of 32 in 32..1024 (got "
                    + groupSize + ")");
        }
        need(fn, w, "w", (long) rows * groups * groupSize);
        need(fn, x, "x", (long) groups * groupSize);
    }

    private static void need(String fn, MemorySegment segment, String name, long bytes) {
        SegmentChecks.requireUsable(fn, segment, name);
        if (segment.byteSize() < bytes) {
            throw new IllegalArgumentException(fn + ": " + name + " has " + segment.byteSize() + " bytes but needs "
                    + bytes);
        }
    }
}

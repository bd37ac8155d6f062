package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java {@link Quantizer}, the twin of {@code native/src/quantize.cpp}: bit-identical
 * results (same float operations in the same order, round half to even, the same radix select
 * for percentiles). Needs no native code; accepts the same arguments as {@link NativeQuantizer}.
 *
 * <p>Threading: stateless and thread-safe. Lifecycle: a constant singleton.
 */
public final class JavaQuantizer implements Quantizer {

    /** The singleton. */
    public static final JavaQuantizer INSTANCE = new JavaQuantizer();

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final int INF_BITS = 0x7F800000;

    private JavaQuantizer() {}

    @Override
    public MinMax minMax(MemorySegment in, long n) {
        FormatChecks.checkNonEmptyFloats("minMax", in, n);
        int lo = Integer.MAX_VALUE; // no non-NaN value has either sentinel key
        int hi = Integer.MIN_VALUE;
        for (long i = 0; i < n; i++) {
            int b = in.getAtIndex(I32, i);
            if ((b & 0x7FFFFFFF) > INF_BITS) {
                continue;
            }
            int k = orderedKey(b);
            lo = Math.min(lo, k);
            hi = Math.max(hi, k);
        }
        if (lo == Integer.MAX_VALUE) {
            throw FormatChecks.fail("minMax", "all " + n + " values are NaN");
        }
        return new MinMax(Float.intBitsToFloat(orderedKey(lo)), Float.intBitsToFloat(orderedKey(hi)));
    }

    /** Float bits to an int whose order is the float order (-0.0 below +0.0); its own inverse. */
    private static int orderedKey(int b) {
        return b ^ ((b >> 31) & 0x7FFFFFFF);
    }

    /** Radix select on the bits of |x|: bits 30..20, then 19..10 and 9..0 over compacted candidates. */
    @Override
    public float absPercentile(MemorySegment in, long n, double percentile, MemorySegment scratch) {
        FormatChecks.checkPercentile("absPercentile", in, n, percentile, scratch);
        long[] histHi = new long[1 << 11];
        long m = 0;
        for (long i = 0; i < n; i++) {
            int a = in.getAtIndex(I32, i) & 0x7FFFFFFF;
            if (a <= INF_BITS) {
                histHi[a >>> 20]++;
                m++;
            }
        }
        if (m == 0) {
            throw FormatChecks.fail("absPercentile", "all " + n + " values are NaN");
        }
        double rank = Math.ceil(percentile * (double) m / 100.0);
        rank = Math.min(Math.max(rank, 1.0), (double) m);
        long[] k = {(long) rank - 1};

        int b1 = findBucket(histHi, k);
        long c = 0;
        for (long i = 0; i < n; i++) {
            int a = in.getAtIndex(I32, i) & 0x7FFFFFFF;
            if (a <= INF_BITS && (a >>> 20) == b1) {
                scratch.setAtIndex(I32, c++, a);
            }
        }
        long[] histMid = new long[1 << 10];
        for (long i = 0; i < c; i++) {
            histMid[(scratch.getAtIndex(I32, i) >>> 10) & 0x3FF]++;
        }
        int b2 = findBucket(histMid, k);

        long c2 = 0;
        for (long i = 0; i < c; i++) {
            int a = scratch.getAtIndex(I32, i);
            if (((a >>> 10) & 0x3FF) == b2) {
                scratch.setAtIndex(I32, c2++, a);
            }
        }
        long[] histLo = new long[1 << 10];
        for (long i = 0; i < c2; i++) {
            histLo[scratch.getAtIndex(I32, i) & 0x3FF]++;
        }
        int b3 = findBucket(histLo, k);
        return Float.intBitsToFloat((b1 << 20) | (b2 << 10) | b3);
    }

    /** The bucket holding 0-based rank k[0]; k[0] becomes the rank inside that bucket. */
    private static int findBucket(long[] hist, long[] k) {
        int b = 0;
        while (k[0] >= hist[b]) {
            k[0] -= hist[b++];
        }
        return b;
    }

    @Override
    public void quantizeS8(MemorySegment in, long n, float scale, MemorySegment out) {
        FormatChecks.checkInOut("quantizeS8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkScale("quantizeS8", scale);
        quantizeS8(in, 0, n, scale, out, 0);
    }

    private static void quantizeS8(MemorySegment in, long inIndex, long n, float scale, MemorySegment out, long outIndex) {
        for (long i = 0; i < n; i++) {
            float y = clampOrZero(in.getAtIndex(F32, inIndex + i) / scale, 127f);
            out.set(I8, outIndex + i, (byte) Math.rint(y));
        }
    }

    @Override
    public void quantizeS8Rows(MemorySegment in, long rows, long cols, long ld, MemorySegment scales, MemorySegment out) {
        FormatChecks.checkRows("quantizeS8Rows", in, rows, cols, ld, scales, out);
        for (long r = 0; r < rows; r++) {
            long start = r * ld;
            int amax = 0;
            for (long j = 0; j < cols; j++) {
                amax = Math.max(amax, in.getAtIndex(I32, start + j) & 0x7FFFFFFF);
            }
            if (amax >= INF_BITS) {
                long col = 0;
                while (Float.isFinite(in.getAtIndex(F32, start + col))) {
                    col++;
                }
                throw FormatChecks.fail("quantizeS8Rows", "row " + r + " has a non-finite value ("
                        + in.getAtIndex(F32, start + col) + ") at column " + col);
            }
            float scale = Float.intBitsToFloat(amax) / 127f;
            if (scale == 0f) {
                scale = 1f; // all-zero row, or absmax / 127 underflowed
            }
            scales.setAtIndex(F32, r, scale);
            quantizeS8(in, start, cols, scale, out, r * cols);
        }
    }

    @Override
    public void quantizeU8(MemorySegment in, long n, float scale, int zeroPoint, MemorySegment out) {
        FormatChecks.checkInOut("quantizeU8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkScale("quantizeU8", scale);
        FormatChecks.checkZeroPoint("quantizeU8", zeroPoint);
        for (long i = 0; i < n; i++) {
            // Clamping to +-255 before rounding is exact: both bounds are integers, 0 <= zeroPoint <= 255.
            float y = clampOrZero(in.getAtIndex(F32, i) / scale, 255f);
            int q = (int) Math.rint(y) + zeroPoint;
            out.set(I8, i, (byte) Math.min(255, Math.max(0, q)));
        }
    }

    @Override
    public void dequantizeS8(MemorySegment in, long n, float scale, MemorySegment out) {
        FormatChecks.checkInOut("dequantizeS8", in, n, Byte.BYTES, out, Float.BYTES);
        FormatChecks.checkScale("dequantizeS8", scale);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(F32, i, in.get(I8, i) * scale);
        }
    }

    /** y with NaN replaced by 0, clamped to [-limit, limit]. */
    private static float clampOrZero(float y, float limit) {
        if (y != y) {
            return 0f;
        }
        return Math.min(limit, Math.max(-limit, y));
    }

    @Override
    public String toString() {
        return "JavaQuantizer";
    }
}

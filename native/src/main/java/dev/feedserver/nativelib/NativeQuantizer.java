package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link Quantizer} through libfeednative ({@code fn_minmax_f32} ... {@code fn_dequantize_s8}).
 * Arguments are checked in Java before each downcall. The quantize calls allocate nothing;
 * {@link #minMax} and {@link #absPercentile} allocate a few bytes for their results.
 *
 * <p>Threading: stateless and thread-safe. Lifecycle: first use loads the library (and checks
 * its ABI version); it stays loaded for the life of the JVM.
 */
public final class NativeQuantizer implements Quantizer {

    /** The singleton. */
    public static final NativeQuantizer INSTANCE = new NativeQuantizer();

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private NativeQuantizer() {
        NativeCallStatus.verifyLibrary();
    }

    @Override
    public MinMax minMax(MemorySegment in, long n) {
        FormatChecks.checkNonEmptyFloats("minMax", in, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = arena.allocate(F32, 2);
            NativeCallStatus.check(feed_native_h.fn_minmax_f32(in, n, result, result.asSlice(Float.BYTES)));
            return new MinMax(result.getAtIndex(F32, 0), result.getAtIndex(F32, 1));
        }
    }

    @Override
    public float absPercentile(MemorySegment in, long n, double percentile, MemorySegment scratch) {
        FormatChecks.checkPercentile("absPercentile", in, n, percentile, scratch);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = arena.allocate(F32);
            NativeCallStatus.check(feed_native_h.fn_abs_percentile_f32(in, n, percentile, scratch, result));
            return result.get(F32, 0);
        }
    }

    @Override
    public void quantizeS8(MemorySegment in, long n, float scale, MemorySegment out) {
        FormatChecks.checkInOut("quantizeS8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkScale("quantizeS8", scale);
        NativeCallStatus.check(feed_native_h.fn_quantize_s8(in, n, scale, out));
    }

    @Override
    public void quantizeS8Rows(MemorySegment in, long rows, long cols, long ld, MemorySegment scales, MemorySegment out) {
        FormatChecks.checkRows("quantizeS8Rows", in, rows, cols, ld, scales, out);
        NativeCallStatus.check(feed_native_h.fn_quantize_s8_rows(in, rows, cols, ld, scales, out));
    }

    @Override
    public void quantizeU8(MemorySegment in, long n, float scale, int zeroPoint, MemorySegment out) {
        FormatChecks.checkInOut("quantizeU8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkScale("quantizeU8", scale);
        FormatChecks.checkZeroPoint("quantizeU8", zeroPoint);
        NativeCallStatus.check(feed_native_h.fn_quantize_u8(in, n, scale, zeroPoint, out));
    }

    @Override
    public void dequantizeS8(MemorySegment in, long n, float scale, MemorySegment out) {
        FormatChecks.checkInOut("dequantizeS8", in, n, Byte.BYTES, out, Float.BYTES);
        FormatChecks.checkScale("dequantizeS8", scale);
        NativeCallStatus.check(feed_native_h.fn_dequantize_s8(in, n, scale, out));
    }

    @Override
    public String toString() {
        return "NativeQuantizer";
    }
}

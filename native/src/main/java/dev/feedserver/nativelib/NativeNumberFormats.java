package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * {@link NumberFormats} through libfeednative ({@code fn_f32_to_fp8} ... {@code fn_f16_to_f32}).
 * Arguments are checked in Java before each downcall; nothing is allocated.
 *
 * <p>Threading: stateless and thread-safe. Lifecycle: first use loads the library (and checks
 * its ABI version); it stays loaded for the life of the JVM.
 */
public final class NativeNumberFormats implements NumberFormats {

    /** The singleton. */
    public static final NativeNumberFormats INSTANCE = new NativeNumberFormats();

    private NativeNumberFormats() {
        NativeCallStatus.verifyLibrary();
    }

    @Override
    public void f32ToFp8(MemorySegment in, long n, Fp8Format format, boolean saturate, MemorySegment out) {
        FormatChecks.checkInOut("f32ToFp8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkFormat("f32ToFp8", format);
        NativeCallStatus.check(feed_native_h.fn_f32_to_fp8(in, n, format.code(), saturate ? 1 : 0, out));
    }

    @Override
    public void fp8ToF32(MemorySegment in, long n, Fp8Format format, MemorySegment out) {
        FormatChecks.checkInOut("fp8ToF32", in, n, Byte.BYTES, out, Float.BYTES);
        FormatChecks.checkFormat("fp8ToF32", format);
        NativeCallStatus.check(feed_native_h.fn_fp8_to_f32(in, n, format.code(), out));
    }

    @Override
    public void f32ToBf16(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f32ToBf16", in, n, Float.BYTES, out, Short.BYTES);
        NativeCallStatus.check(feed_native_h.fn_f32_to_bf16(in, n, out));
    }

    @Override
    public void bf16ToF32(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("bf16ToF32", in, n, Short.BYTES, out, Float.BYTES);
        NativeCallStatus.check(feed_native_h.fn_bf16_to_f32(in, n, out));
    }

    @Override
    public void f32ToF16(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f32ToF16", in, n, Float.BYTES, out, Short.BYTES);
        NativeCallStatus.check(feed_native_h.fn_f32_to_f16(in, n, out));
    }

    @Override
    public void f16ToF32(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f16ToF32", in, n, Short.BYTES, out, Float.BYTES);
        NativeCallStatus.check(feed_native_h.fn_f16_to_f32(in, n, out));
    }

    @Override
    public String toString() {
        return "NativeNumberFormats";
    }
}

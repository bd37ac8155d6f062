package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java {@link NumberFormats}: bit-identical to the native library (same rounding, same
 * canonical NaNs; see {@link MiniFloat}). Needs no native code; accepts the same arguments as
 * {@link NativeNumberFormats}.
 *
 * <p>Threading: stateless and thread-safe. Lifecycle: a constant singleton.
 */
public final class JavaNumberFormats implements NumberFormats {

    /** The singleton. */
    public static final JavaNumberFormats INSTANCE = new JavaNumberFormats();

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private JavaNumberFormats() {}

    @Override
    public void f32ToFp8(MemorySegment in, long n, Fp8Format format, boolean saturate, MemorySegment out) {
        FormatChecks.checkInOut("f32ToFp8", in, n, Float.BYTES, out, Byte.BYTES);
        FormatChecks.checkFormat("f32ToFp8", format);
        MiniFloat codec = format.codec();
        for (long i = 0; i < n; i++) {
            out.set(I8, i, (byte) codec.encode(in.getAtIndex(I32, i), saturate));
        }
    }

    @Override
    public void fp8ToF32(MemorySegment in, long n, Fp8Format format, MemorySegment out) {
        FormatChecks.checkInOut("fp8ToF32", in, n, Byte.BYTES, out, Float.BYTES);
        FormatChecks.checkFormat("fp8ToF32", format);
        MiniFloat codec = format.codec();
        for (long i = 0; i < n; i++) {
            out.setAtIndex(I32, i, codec.decode(in.get(I8, i) & 0xFF));
        }
    }

    @Override
    public void f32ToBf16(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f32ToBf16", in, n, Float.BYTES, out, Short.BYTES);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(I16, i, (short) MiniFloat.encodeBf16(in.getAtIndex(I32, i)));
        }
    }

    @Override
    public void bf16ToF32(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("bf16ToF32", in, n, Short.BYTES, out, Float.BYTES);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(I32, i, MiniFloat.decodeBf16(in.getAtIndex(I16, i) & 0xFFFF));
        }
    }

    @Override
    public void f32ToF16(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f32ToF16", in, n, Float.BYTES, out, Short.BYTES);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(I16, i, (short) MiniFloat.F16.encode(in.getAtIndex(I32, i), false));
        }
    }

    @Override
    public void f16ToF32(MemorySegment in, long n, MemorySegment out) {
        FormatChecks.checkInOut("f16ToF32", in, n, Short.BYTES, out, Float.BYTES);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(I32, i, MiniFloat.F16.decode(in.getAtIndex(I16, i) & 0xFFFF));
        }
    }

    @Override
    public String toString() {
        return "JavaNumberFormats";
    }
}

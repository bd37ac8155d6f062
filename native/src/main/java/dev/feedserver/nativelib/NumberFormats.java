package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;

/**
 * Conversions between float and the narrow number formats: OCP FP8 (E4M3, E5M2), bfloat16 and
 * IEEE binary16 (f16), over arrays in {@link MemorySegment}s, plus scalar helpers. All
 * conversions are bit-exact and identical in both backends:
 * <ul>
 *   <li>float to narrow rounds to nearest, ties to even, subnormals included. FP8 with
 *       {@code saturate} maps finite values beyond max finite and +-Inf to +-max finite; without
 *       it they become NaN (E4M3, which has no infinity) or +-Inf (E5M2). f16 and bf16 overflow
 *       to +-Inf. -0.0 stays -0.0.
 *   <li>NaN always gives a canonical quiet NaN that keeps the sign: E4M3 {@code 0x7F}, E5M2
 *       {@code 0x7E}, f16 {@code 0x7E00}, bf16 {@code 0x7FC0} (OR the sign bit).
 *   <li>narrow to float is exact. A decoded NaN is a quiet float NaN with the sign and the
 *       code's mantissa as top payload bits (E4M3's NaN gives {@code 0x7FC00000 | sign}); bf16
 *       widens by a plain 16-bit shift.
 * </ul>
 *
 * <p>Arrays: {@code n >= 0} elements, native-order, any alignment; fp8 codes are bytes, f16 and
 * bf16 codes are 16-bit values. Segments must be native (off-heap or mapped), alive for the call,
 * and {@code in} and {@code out} must not overlap. Bad arguments throw
 * {@link IllegalArgumentException} naming the problem (both backends check the same things);
 * a native failure throws {@link NativeException}.
 *
 * <p>Threading: implementations are stateless and thread-safe. Lifecycle: {@link #get()}
 * returns a process-wide singleton; there is nothing to close.
 */
public interface NumberFormats {

    /** The implementation for {@link KernelBackend#current()}. */
    static NumberFormats get() {
        return KernelBackend.current() == KernelBackend.NATIVE ? NativeNumberFormats.INSTANCE : JavaNumberFormats.INSTANCE;
    }

    /** {@code n} floats from {@code in} to FP8 bytes in {@code out}. */
    void f32ToFp8(MemorySegment in, long n, Fp8Format format, boolean saturate, MemorySegment out);

    /** {@code n} FP8 bytes from {@code in} to floats in {@code out}. */
    void fp8ToF32(MemorySegment in, long n, Fp8Format format, MemorySegment out);

    /** {@code n} floats to bfloat16 (2 bytes each). */
    void f32ToBf16(MemorySegment in, long n, MemorySegment out);

    /** {@code n} bfloat16 values to floats. */
    void bf16ToF32(MemorySegment in, long n, MemorySegment out);

    /** {@code n} floats to IEEE binary16 (2 bytes each). */
    void f32ToF16(MemorySegment in, long n, MemorySegment out);

    /** {@code n} IEEE binary16 values to floats. */
    void f16ToF32(MemorySegment in, long n, MemorySegment out);

    /** One float to an FP8 code, with the same rules as {@link #f32ToFp8}. */
    static byte toFp8(float value, Fp8Format format, boolean saturate) {
        return (byte) format.codec().encode(Float.floatToRawIntBits(value), saturate);
    }

    /** One FP8 code to its float value. */
    static float fromFp8(byte code, Fp8Format format) {
        return Float.intBitsToFloat(format.codec().decode(code & 0xFF));
    }

    /** One float to bfloat16 bits. */
    static short toBf16(float value) {
        return (short) MiniFloat.encodeBf16(Float.floatToRawIntBits(value));
    }

    /** bfloat16 bits to float. */
    static float fromBf16(short code) {
        return Float.intBitsToFloat(MiniFloat.decodeBf16(code & 0xFFFF));
    }

    /** One float to IEEE binary16 bits. */
    static short toF16(float value) {
        return (short) MiniFloat.F16.encode(Float.floatToRawIntBits(value), false);
    }

    /** IEEE binary16 bits to float. */
    static float fromF16(short code) {
        return Float.intBitsToFloat(MiniFloat.F16.decode(code & 0xFFFF));
    }
}

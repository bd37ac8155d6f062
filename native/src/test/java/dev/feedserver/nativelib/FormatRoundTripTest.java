package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exhaustive round trips: every FP8 code (256), every bf16 and f16 code (65536) to float and
 * back gives the same code, except NaNs, which come back as the canonical NaN with their sign
 * (and E5M2 infinities, which saturate to max finite when asked to).
 */
class FormatRoundTripTest {

    static List<NumberFormats> backends() {
        return FormatBackends.numberFormats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void everyFp8Code(NumberFormats formats) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate(256);
            for (int c = 0; c < 256; c++) {
                codes.set(FormatBackends.I8, c, (byte) c);
            }
            MemorySegment floats = arena.allocate(256 * 4);
            MemorySegment back = arena.allocate(256);
            for (Fp8Format format : Fp8Format.values()) {
                formats.fp8ToF32(codes, 256, format, floats);
                for (boolean saturate : new boolean[] {false, true}) {
                    formats.f32ToFp8(floats, 256, format, saturate, back);
                    for (int c = 0; c < 256; c++) {
                        float value = floats.getAtIndex(FormatBackends.F32, c);
                        int expected = expectedFp8(format, c, value, saturate);
                        assertEquals(hex(expected), hex(back.get(FormatBackends.I8, c) & 0xFF),
                                format + " code " + hex(c) + " -> " + value + " saturate=" + saturate);
                    }
                }
            }
        }
    }

    private static int expectedFp8(Fp8Format format, int code, float value, boolean saturate) {
        int sign = code & 0x80;
        if (Float.isNaN(value)) {
            return sign | (format == Fp8Format.E4M3 ? 0x7F : 0x7E);
        }
        if (Float.isInfinite(value)) {
            assertEquals(Fp8Format.E5M2, format);
            return saturate ? sign | 0x7B : code;
        }
        return code;
    }

    @Test
    void nanAndInfinityCodesAreWhereTheSpecSaysTheyAre() {
        int e4m3Nans = 0;
        int e5m2Nans = 0;
        int e5m2Infs = 0;
        for (int c = 0; c < 256; c++) {
            e4m3Nans += Float.isNaN(NumberFormats.fromFp8((byte) c, Fp8Format.E4M3)) ? 1 : 0;
            assertTrue(!Float.isInfinite(NumberFormats.fromFp8((byte) c, Fp8Format.E4M3)), "E4M3 has no infinity");
            e5m2Nans += Float.isNaN(NumberFormats.fromFp8((byte) c, Fp8Format.E5M2)) ? 1 : 0;
            e5m2Infs += Float.isInfinite(NumberFormats.fromFp8((byte) c, Fp8Format.E5M2)) ? 1 : 0;
        }
        assertEquals(2, e4m3Nans, "E4M3 NaN is only S.1111.111");
        assertEquals(6, e5m2Nans, "E5M2 NaN is S.11111.{01,10,11}");
        assertEquals(2, e5m2Infs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void everyBf16AndF16Code(NumberFormats formats) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate(65536 * 2);
            for (int c = 0; c < 65536; c++) {
                codes.setAtIndex(FormatBackends.I16, c, (short) c);
            }
            MemorySegment floats = arena.allocate(65536 * 4);
            MemorySegment back = arena.allocate(65536 * 2);

            formats.bf16ToF32(codes, 65536, floats);
            formats.f32ToBf16(floats, 65536, back);
            checkHalfRoundTrip("bf16", floats, back, 0x7FC0);

            formats.f16ToF32(codes, 65536, floats);
            for (int c = 0; c < 65536; c++) { // independent check of the decoder (non-NaN)
                float expected = Float.float16ToFloat((short) c);
                if (!Float.isNaN(expected)) {
                    assertEquals(hex(Float.floatToRawIntBits(expected)),
                            hex(floats.getAtIndex(FormatBackends.I32, c)), "f16 " + hex(c));
                }
            }
            formats.f32ToF16(floats, 65536, back);
            checkHalfRoundTrip("f16", floats, back, 0x7E00);
        }
    }

    private static void checkHalfRoundTrip(String name, MemorySegment floats, MemorySegment back, int canonicalNan) {
        for (int c = 0; c < 65536; c++) {
            float value = floats.getAtIndex(FormatBackends.F32, c);
            int expected = Float.isNaN(value) ? (c & 0x8000) | canonicalNan : c;
            assertEquals(hex(expected), hex(back.getAtIndex(FormatBackends.I16, c) & 0xFFFF),
                    name + " code " + hex(c) + " -> " + value);
        }
    }
}

package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known FP8 encodings from the OCP 8-bit floating point specification (E4M3 and E5M2): max
 * finite, min normal, subnormals, ties to even, saturation, infinities, NaN and -0. The same
 * table runs against both backends and the scalar helpers.
 */
class Fp8KnownValuesTest {

    /** Input float, expected code with saturate, expected code without. */
    private record Case(float input, int saturated, int unsaturated) {
        Case(float input, int both) {
            this(input, both, both);
        }
    }

    private static final float NAN = Float.intBitsToFloat(0x7FC00000);
    private static final float NEG_NAN = Float.intBitsToFloat(0xFFC00000);
    private static final float SIGNALING_NAN = Float.intBitsToFloat(0x7F800001);

    private static final Case[] E4M3 = {
        new Case(0f, 0x00), new Case(-0f, 0x80),
        new Case(1f, 0x38), new Case(-1f, 0xB8), new Case(0.3f, 0x2A),
        new Case(240f, 0x77), new Case(256f, 0x78),             // exponent 1111 is finite in E4M3
        new Case(448f, 0x7E), new Case(-448f, 0xFE),            // max finite S.1111.110
        new Case(0x1p-6f, 0x08),                                // min normal
        new Case(0x1p-9f, 0x01), new Case(-0x1p-9f, 0x81),      // min subnormal
        new Case(7 * 0x1p-9f, 0x07), new Case(0x1p-7f, 0x04),   // max subnormal, a subnormal
        new Case(0x1p-10f, 0x00), new Case(-0x1p-10f, 0x80),    // half the min subnormal: tie to 0
        new Case(Math.nextUp(0x1p-10f), 0x01),
        new Case(3 * 0x1p-10f, 0x02), new Case(5 * 0x1p-10f, 0x02),  // subnormal ties to even
        new Case(1.0625f, 0x38), new Case(1.1875f, 0x3A),       // normal ties to even
        new Case(Math.nextUp(1.0625f), 0x39),
        new Case(15 * 0x1p-10f, 0x08),                          // rounds up into the min normal
        new Case(464f, 0x7E),                                   // max + ulp/2 ties to even (448)
        new Case(Math.nextUp(464f), 0x7E, 0x7F), new Case(-Math.nextUp(464f), 0xFE, 0xFF),
        new Case(1000f, 0x7E, 0x7F), new Case(Float.MAX_VALUE, 0x7E, 0x7F),
        new Case(Float.POSITIVE_INFINITY, 0x7E, 0x7F), new Case(Float.NEGATIVE_INFINITY, 0xFE, 0xFF),
        new Case(NAN, 0x7F), new Case(NEG_NAN, 0xFF), new Case(SIGNALING_NAN, 0x7F),
        new Case(Float.MIN_VALUE, 0x00), new Case(-Float.MIN_VALUE, 0x80),
    };

    private static final Case[] E5M2 = {
        new Case(0f, 0x00), new Case(-0f, 0x80),
        new Case(1f, 0x3C), new Case(-2f, 0xC0),
        new Case(57344f, 0x7B), new Case(-57344f, 0xFB),        // max finite S.11110.11
        new Case(0x1p-14f, 0x04),                               // min normal
        new Case(0x1p-16f, 0x01), new Case(3 * 0x1p-16f, 0x03), // min / max subnormal
        new Case(0x1p-17f, 0x00), new Case(3 * 0x1p-17f, 0x02), // subnormal ties to even
        new Case(1.125f, 0x3C), new Case(1.375f, 0x3E),         // normal ties to even
        new Case(Math.nextDown(61440f), 0x7B),
        new Case(61440f, 0x7B, 0x7C), new Case(-61440f, 0xFB, 0xFC),  // the tie rounds up: overflow
        new Case(1e6f, 0x7B, 0x7C), new Case(Float.MAX_VALUE, 0x7B, 0x7C),
        new Case(Float.POSITIVE_INFINITY, 0x7B, 0x7C), new Case(Float.NEGATIVE_INFINITY, 0xFB, 0xFC),
        new Case(NAN, 0x7E), new Case(NEG_NAN, 0xFE), new Case(SIGNALING_NAN, 0x7E),
        new Case(-Float.MIN_VALUE, 0x80),
    };

    static java.util.List<NumberFormats> backends() {
        return FormatBackends.numberFormats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void e4m3Encodings(NumberFormats formats) {
        checkEncodings(formats, Fp8Format.E4M3, E4M3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void e5m2Encodings(NumberFormats formats) {
        checkEncodings(formats, Fp8Format.E5M2, E5M2);
    }

    private static void checkEncodings(NumberFormats formats, Fp8Format format, Case[] cases) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(cases.length * 4L);
            for (int i = 0; i < cases.length; i++) {
                in.setAtIndex(FormatBackends.I32, i, Float.floatToRawIntBits(cases[i].input()));
            }
            for (boolean saturate : new boolean[] {true, false}) {
                MemorySegment out = arena.allocate(cases.length);
                formats.f32ToFp8(in, cases.length, format, saturate, out);
                for (int i = 0; i < cases.length; i++) {
                    Case c = cases[i];
                    int expected = saturate ? c.saturated() : c.unsaturated();
                    String what = format + " " + c.input() + " (" + hex(Float.floatToRawIntBits(c.input()))
                            + ") saturate=" + saturate;
                    assertEquals(hex(expected), hex(out.get(FormatBackends.I8, i) & 0xFF), what);
                    assertEquals(hex(expected), hex(NumberFormats.toFp8(c.input(), format, saturate) & 0xFF),
                            "scalar " + what);
                }
            }
        }
    }

    /** Code, expected float bits. */
    private static final int[][] E4M3_DECODE = {
        {0x00, 0x00000000}, {0x80, 0x80000000}, {0x38, 0x3F800000}, {0x7E, 0x43E00000},
        {0xFE, 0xC3E00000}, {0x08, 0x3C800000}, {0x01, 0x3B000000}, {0x07, 0x3C600000},
        {0x78, 0x43800000}, {0x7F, 0x7FC00000}, {0xFF, 0xFFC00000},
    };
    private static final int[][] E5M2_DECODE = {
        {0x00, 0x00000000}, {0x80, 0x80000000}, {0x3C, 0x3F800000}, {0x7B, 0x47600000},
        {0x04, 0x38800000}, {0x01, 0x37800000}, {0x03, 0x38400000}, {0x7C, 0x7F800000},
        {0xFC, 0xFF800000}, {0x7D, 0x7FE00000}, {0x7E, 0x7FC00000}, {0x7F, 0x7FE00000},
        {0xFE, 0xFFC00000},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void decodings(NumberFormats formats) {
        checkDecodings(formats, Fp8Format.E4M3, E4M3_DECODE);
        checkDecodings(formats, Fp8Format.E5M2, E5M2_DECODE);
    }

    private static void checkDecodings(NumberFormats formats, Fp8Format format, int[][] table) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(table.length);
            for (int i = 0; i < table.length; i++) {
                in.set(FormatBackends.I8, i, (byte) table[i][0]);
            }
            MemorySegment out = arena.allocate(table.length * 4L + 2).asSlice(2);
            formats.fp8ToF32(in, table.length, format, out);
            for (int i = 0; i < table.length; i++) {
                String what = format + " code " + hex(table[i][0]);
                assertEquals(hex(table[i][1]), hex(out.getAtIndex(FormatBackends.I32, i)), what);
                assertEquals(hex(table[i][1]),
                        hex(Float.floatToRawIntBits(NumberFormats.fromFp8((byte) table[i][0], format))), "scalar " + what);
            }
        }
    }

    @Test
    void maxFiniteMatchesTheEnum() {
        for (Fp8Format format : Fp8Format.values()) {
            byte code = NumberFormats.toFp8(format.maxFinite(), format, false);
            assertEquals(format.maxFinite(), NumberFormats.fromFp8(code, format));
            assertEquals(format.maxFinite(), NumberFormats.fromFp8(NumberFormats.toFp8(Float.POSITIVE_INFINITY, format, true), format));
        }
    }

    @Test
    void enumCodesMatchTheHeader() {
        assertEquals(feed_native_h.FN_FP8_E4M3(), Fp8Format.E4M3.code());
        assertEquals(feed_native_h.FN_FP8_E5M2(), Fp8Format.E5M2.code());
    }
}

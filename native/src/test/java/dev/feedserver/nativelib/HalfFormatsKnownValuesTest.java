package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known bfloat16 and IEEE binary16 encodings and decodings, on both backends and the scalar helpers. */
class HalfFormatsKnownValuesTest {

    /** {float bits, expected code}. */
    private static final int[][] F16 = {
        {0x3F800000, 0x3C00},                 // 1
        {0xC0000000, 0xC000},                 // -2
        {0x477FE000, 0x7BFF},                 // 65504, max finite
        {0x477FF000, 0x7C00},                 // 65520 = max + ulp/2: ties to even -> Inf
        {0x477FEFFF, 0x7BFF},                 // just below 65520
        {0xC77FF000, 0xFC00},                 // -65520 -> -Inf
        {0x33800000, 0x0001},                 // 2^-24, smallest subnormal
        {0x33000000, 0x0000},                 // 2^-25: tie to 0
        {0x33000001, 0x0001},                 // just above 2^-25
        {0x33C00000, 0x0002},                 // 3 * 2^-25: tie to even
        {0x38800000, 0x0400},                 // 2^-14, min normal
        {0x387FC000, 0x03FF},                 // max subnormal
        {0x3F801000, 0x3C00},                 // 1 + 2^-11: tie to even
        {0x3F803000, 0x3C02},                 // 1 + 3 * 2^-11: tie to even (up)
        {0x3DCCCCCD, 0x2E66},                 // 0.1
        {0x80000000, 0x8000},                 // -0
        {0x00000001, 0x0000},                 // smallest float subnormal
        {0x7F800000, 0x7C00}, {0xFF800000, 0xFC00},
        {0x7F7FFFFF, 0x7C00},                 // Float.MAX_VALUE overflows to Inf
        {0x7FC00000, 0x7E00}, {0xFFC00000, 0xFE00}, {0x7F800001, 0x7E00}, {0xFFFFFFFF, 0xFE00},
    };

    private static final int[][] BF16 = {
        {0x3F800000, 0x3F80}, {0xC0000000, 0xC000}, {0x40400000, 0x4040},
        {0x3F808000, 0x3F80},                 // 1 + 2^-8: tie to even (down)
        {0x3F818000, 0x3F82},                 // tie to even (up)
        {0x3F808001, 0x3F81},
        {0x7F7F7FFF, 0x7F7F}, {0x7F7F8000, 0x7F80},  // largest values: the tie overflows to Inf
        {0x7F7FFFFF, 0x7F80}, {0xFF7FFFFF, 0xFF80},
        {0x00008000, 0x0000}, {0x00018000, 0x0002}, {0x00010000, 0x0001},  // subnormals
        {0x80000000, 0x8000}, {0x7F800000, 0x7F80}, {0xFF800000, 0xFF80},
        {0x7FC00000, 0x7FC0}, {0xFFC00000, 0xFFC0},
        {0x7F800001, 0x7FC0},                 // signalling NaN: must not round to Inf
        {0x7FFFFFFF, 0x7FC0}, {0xFF80FFFF, 0xFFC0},
    };

    /** {code, expected float bits}. */
    private static final int[][] F16_DECODE = {
        {0x3C00, 0x3F800000}, {0xC000, 0xC0000000}, {0x7BFF, 0x477FE000}, {0x0001, 0x33800000},
        {0x8001, 0xB3800000}, {0x03FF, 0x387FC000}, {0x0400, 0x38800000}, {0x8000, 0x80000000},
        {0x7C00, 0x7F800000}, {0xFC00, 0xFF800000}, {0x7E00, 0x7FC00000}, {0xFE00, 0xFFC00000},
        {0x7C01, 0x7FC02000},                 // signalling NaN: quietened, payload kept
    };

    private static final int[][] BF16_DECODE = {
        {0x3F80, 0x3F800000}, {0x0001, 0x00010000}, {0x7F80, 0x7F800000}, {0x8000, 0x80000000},
        {0x7F81, 0x7F810000},                 // a plain shift: payload kept
        {0xFFC0, 0xFFC00000},
    };

    static List<NumberFormats> backends() {
        return FormatBackends.numberFormats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void f16(NumberFormats formats) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(F16.length * 2L);
            formats.f32ToF16(FormatBackends.floatBits(arena, column(F16, 0)), F16.length, out);
            for (int i = 0; i < F16.length; i++) {
                String what = "f16 of " + hex(F16[i][0]);
                assertEquals(hex(F16[i][1]), hex(out.getAtIndex(FormatBackends.I16, i) & 0xFFFF), what);
                assertEquals(hex(F16[i][1]), hex(NumberFormats.toF16(Float.intBitsToFloat(F16[i][0])) & 0xFFFF), what);
            }
            MemorySegment back = arena.allocate(F16_DECODE.length * 4L);
            formats.f16ToF32(FormatBackends.shorts(arena, column(F16_DECODE, 0)), F16_DECODE.length, back);
            for (int i = 0; i < F16_DECODE.length; i++) {
                String what = "float of f16 " + hex(F16_DECODE[i][0]);
                assertEquals(hex(F16_DECODE[i][1]), hex(back.getAtIndex(FormatBackends.I32, i)), what);
                assertEquals(hex(F16_DECODE[i][1]),
                        hex(Float.floatToRawIntBits(NumberFormats.fromF16((short) F16_DECODE[i][0]))), what);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void bf16(NumberFormats formats) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(BF16.length * 2L);
            formats.f32ToBf16(FormatBackends.floatBits(arena, column(BF16, 0)), BF16.length, out);
            for (int i = 0; i < BF16.length; i++) {
                String what = "bf16 of " + hex(BF16[i][0]);
                assertEquals(hex(BF16[i][1]), hex(out.getAtIndex(FormatBackends.I16, i) & 0xFFFF), what);
                assertEquals(hex(BF16[i][1]), hex(NumberFormats.toBf16(Float.intBitsToFloat(BF16[i][0])) & 0xFFFF), what);
            }
            MemorySegment back = arena.allocate(BF16_DECODE.length * 4L);
            formats.bf16ToF32(FormatBackends.shorts(arena, column(BF16_DECODE, 0)), BF16_DECODE.length, back);
            for (int i = 0; i < BF16_DECODE.length; i++) {
                String what = "float of bf16 " + hex(BF16_DECODE[i][0]);
                assertEquals(hex(BF16_DECODE[i][1]), hex(back.getAtIndex(FormatBackends.I32, i)), what);
            }
        }
    }

    private static int[] column(int[][] table, int c) {
        int[] r = new int[table.length];
        for (int i = 0; i < table.length; i++) {
            r[i] = table[i][c];
        }
        return r;
    }
}

package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.F32;
import static dev.feedserver.nativelib.FormatBackends.I8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known small cases for every Quantizer operation, on both backends. */
class QuantizerTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    static List<Quantizer> backends() {
        return FormatBackends.quantizers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void quantizeS8RoundsHalfToEvenAndClamps(Quantizer q) {
        float[] in = {0f, 0.25f, 0.75f, 1.25f, -1.25f, -0.75f, 63.25f, 63.5f, 64f, -64f, -1000f, NAN, INF, -INF, -0f, 1e-30f};
        int[] expected = {0, 0, 2, 2, -2, -2, 126, 127, 127, -127, -127, 0, 127, -127, 0, 0};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(in.length);
            q.quantizeS8(FormatBackends.floats(arena, in), in.length, 0.5f, out);
            for (int i = 0; i < in.length; i++) {
                assertEquals(expected[i], out.get(I8, i), "q(" + in[i] + " / 0.5)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void quantizeU8AddsTheZeroPointAndClamps(Quantizer q) {
        float[] in = {0f, 0.25f, 0.75f, -0.75f, 63.25f, 63.75f, 100f, -64f, -64.25f, -100f, NAN, INF, -INF};
        int[] expected = {128, 128, 130, 126, 254, 255, 255, 0, 0, 0, 128, 255, 0};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(in.length);
            q.quantizeU8(FormatBackends.floats(arena, in), in.length, 0.5f, 128, out);
            assertArrayEquals(expected, FormatBackends.unsignedBytesOf(out, in.length));

            q.quantizeU8(FormatBackends.floats(arena, 0f, -1f, 300f, 2.5f), 4, 1f, 0, out);
            assertArrayEquals(new int[] {0, 0, 255, 2}, FormatBackends.unsignedBytesOf(out, 4));
            q.quantizeU8(FormatBackends.floats(arena, 0f, 1f, -300f, -2.5f), 4, 1f, 255, out);
            assertArrayEquals(new int[] {255, 255, 0, 253}, FormatBackends.unsignedBytesOf(out, 4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void dequantizeS8MultipliesInFloat(Quantizer q) {
        int[] in = {-128, -127, -1, 0, 1, 3, 127};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(in.length * 4L);
            q.dequantizeS8(FormatBackends.bytes(arena, in), in.length, 0.1f, out);
            for (int i = 0; i < in.length; i++) {
                assertEquals(Float.floatToRawIntBits(in[i] * 0.1f), Float.floatToRawIntBits(out.getAtIndex(F32, i)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void minMaxSkipsNaNsAndOrdersSignedZeros(Quantizer q) {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(new Quantizer.MinMax(-1f, 7f), q.minMax(FormatBackends.floats(arena, 3f, -1f, NAN, 7f, -0f), 5));
            assertEquals(new Quantizer.MinMax(2f, 2f), q.minMax(FormatBackends.floats(arena, NAN, 2f, NAN), 3));
            Quantizer.MinMax zeros = q.minMax(FormatBackends.floats(arena, 0f, -0f, 0f), 3);
            assertEquals(0x80000000, Float.floatToRawIntBits(zeros.min()));
            assertEquals(0, Float.floatToRawIntBits(zeros.max()));
            assertEquals(new Quantizer.MinMax(-INF, INF), q.minMax(FormatBackends.floats(arena, 1f, INF, -INF), 3));
            assertEquals(new Quantizer.MinMax(-5f, -5f), q.minMax(FormatBackends.floats(arena, -5f), 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.minMax(FormatBackends.floats(arena, NAN, -NAN), 2));
            assertTrue(e.getMessage().contains("all 2 values are NaN"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void absPercentileIsNearestRank(Quantizer q) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = FormatBackends.floats(arena, -7f, 3f, 10f, -1f, 5f, 2f, -9f, 4f, 8f, 6f);
            MemorySegment scratch = arena.allocate(10 * 4L);
            assertEquals(5f, q.absPercentile(in, 10, 50, scratch));
            assertEquals(10f, q.absPercentile(in, 10, 100, scratch));
            assertEquals(10f, q.absPercentile(in, 10, 95, scratch));     // ceil(9.5) = rank 10
            assertEquals(9f, q.absPercentile(in, 10, 90, scratch));
            assertEquals(1f, q.absPercentile(in, 10, 10, scratch));
            assertEquals(2f, q.absPercentile(in, 10, 10.5, scratch));
            assertEquals(1f, q.absPercentile(in, 10, 1e-9, scratch));    // rank clamps to 1
            assertEquals(-7f, in.getAtIndex(F32, 0), "input untouched");

            MemorySegment withNaN = FormatBackends.floats(arena, NAN, -4f, NAN, 2f, -INF);
            assertEquals(4f, q.absPercentile(withNaN, 5, 50, scratch));   // m = 3 non-NaN: rank 2
            assertEquals(INF, q.absPercentile(withNaN, 5, 100, scratch));
            assertEquals(0f, q.absPercentile(FormatBackends.floats(arena, -0f, -0f), 2, 100, scratch));
            assertEquals(0, Float.floatToRawIntBits(q.absPercentile(FormatBackends.floats(arena, -0f), 1, 50, scratch)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.absPercentile(FormatBackends.floats(arena, NAN), 1, 50, scratch));
            assertTrue(e.getMessage().contains("all 1 values are NaN"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void quantizeS8RowsScalesEachRow(Quantizer q) {
        float[] matrix = {  // 4 rows x 3 cols, ld 5 (the last two columns are padding, never read)
            1f, -2f, 0.5f, 99f, 99f,
            0f, -0f, 0f, 99f, 99f,
            254f, 127f, -63.5f, NAN, NAN,
            1e-45f, -1e-45f, 0f, 99f, 99f,
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scales = arena.allocate(4 * 4L);
            MemorySegment out = arena.allocate(12);
            q.quantizeS8Rows(FormatBackends.floats(arena, matrix), 4, 3, 5, scales, out);
            float s0 = 2f / 127f;
            assertEquals(s0, scales.getAtIndex(F32, 0));
            assertEquals(1f, scales.getAtIndex(F32, 1), "all-zero row");
            assertEquals(2f, scales.getAtIndex(F32, 2));
            assertEquals(1f, scales.getAtIndex(F32, 3), "absmax / 127 underflows to 0");
            int[] expected = {
                (int) Math.rint(Math.min(127f, 1f / s0)), -127, (int) Math.rint(0.5f / s0),
                0, 0, 0,
                127, 64, -32,      // 63.5 -> 127 / 2 = 63.5 -> 64; -63.5 / 2 = -31.75 -> -32
                0, 0, 0,
            };
            for (int i = 0; i < 12; i++) {
                assertEquals(expected[i], out.get(I8, i), "element " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void quantizeS8RowsRejectsNonFiniteValues(Quantizer q) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scales = arena.allocate(8);
            MemorySegment out = arena.allocate(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.quantizeS8Rows(FormatBackends.floats(arena, 1f, 2f, 3f, NAN), 2, 2, 2, scales, out));
            assertTrue(e.getMessage().contains("row 1 has a non-finite value (NaN) at column 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> q.quantizeS8Rows(FormatBackends.floats(arena, -INF, 2f), 1, 2, 2, scales, out));
            assertTrue(e.getMessage().contains("row 0 has a non-finite value (-Infinity) at column 0"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void zeroLengthCallsDoNothing(Quantizer q) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4);
            buf.fill((byte) 0x5A);
            q.quantizeS8(buf, 0, 1f, buf);
            q.quantizeU8(buf, 0, 1f, 3, buf);
            q.dequantizeS8(buf, 0, 1f, buf);
            q.quantizeS8Rows(buf, 0, 1, 1, buf, buf);
            assertEquals(0x5A5A5A5A, buf.get(FormatBackends.I32, 0));
        }
    }
}

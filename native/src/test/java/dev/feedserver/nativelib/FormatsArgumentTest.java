package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both backends of NumberFormats and Quantizer reject the same bad calls with the same
 * IllegalArgumentException message, before any native code runs.
 */
class FormatsArgumentTest {

    private static Arena arena;
    private static MemorySegment buf;   // 64 bytes: 16 floats
    private static MemorySegment small; // 4 bytes
    private static MemorySegment dead;

    @BeforeAll
    static void allocate() {
        arena = Arena.ofShared();
        buf = arena.allocate(64);
        small = arena.allocate(4);
        try (Arena temp = Arena.ofConfined()) {
            dead = temp.allocate(64);
        }
    }

    @AfterAll
    static void free() {
        arena.close();
    }

    static List<NumberFormats> formats() {
        return FormatBackends.numberFormats();
    }

    static List<Quantizer> quantizers() {
        return FormatBackends.quantizers();
    }

    /** A fresh 16-float segment of 1.0f (buf may hold anything after other tests). */
    private static MemorySegment ones() {
        MemorySegment s = arena.allocate(64);
        for (int i = 0; i < 16; i++) {
            s.setAtIndex(FormatBackends.F32, i, 1f);
        }
        return s;
    }

    private static void assertRejected(String expectedFragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment),
                () -> "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void conversions(NumberFormats f) {
        MemorySegment heap = MemorySegment.ofArray(new float[16]);
        assertDoesNotThrow(() -> f.f32ToFp8(buf, 16, Fp8Format.E4M3, true, buf.asSlice(48)));
        assertRejected("f32ToFp8: n must be >= 0 (got -1)", () -> f.f32ToFp8(buf, -1, Fp8Format.E4M3, true, buf));
        assertRejected("f32ToFp8: format is null", () -> f.f32ToFp8(buf, 1, null, true, buf));
        assertRejected("fp8ToF32: format is null", () -> f.fp8ToF32(buf, 1, null, buf));
        assertRejected("f32ToFp8: in too small: n=17 needs 68 bytes but in.byteSize()=64",
                () -> f.f32ToFp8(buf, 17, Fp8Format.E5M2, false, buf));
        assertRejected("fp8ToF32: out too small: n=2 needs 8 bytes but out.byteSize()=4",
                () -> f.fp8ToF32(buf, 2, Fp8Format.E5M2, small));
        assertRejected("f32ToBf16: out too small", () -> f.f32ToBf16(buf, 16, buf.asSlice(40)));
        assertRejected("bf16ToF32: in too small", () -> f.bf16ToF32(small, 3, buf));
        assertRejected("f32ToF16: in is null", () -> f.f32ToF16(null, 1, buf));
        assertRejected("f16ToF32: out is null", () -> f.f16ToF32(buf, 1, null));
        assertRejected("f32ToF16: in is the NULL segment", () -> f.f32ToF16(MemorySegment.NULL, 0, buf));
        assertRejected("f16ToF32: in must be a native (off-heap or mapped) segment", () -> f.f16ToF32(heap, 1, buf));
        assertRejected("f32ToBf16: out is a read-only segment", () -> f.f32ToBf16(buf, 1, buf.asReadOnly()));
        assertRejected("bf16ToF32: in belongs to an arena that is already closed", () -> f.bf16ToF32(dead, 1, buf));
        assertRejected("f32ToFp8: in extent overflows", () -> f.f32ToFp8(buf, Long.MAX_VALUE / 2, Fp8Format.E4M3, true, buf));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizers")
    void quantization(Quantizer q) {
        assertRejected("quantizeS8: n must be >= 0 (got -3)", () -> q.quantizeS8(buf, -3, 1f, buf));
        for (float bad : new float[] {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertRejected("quantizeS8: scale must be finite and > 0 (got " + bad + ")", () -> q.quantizeS8(buf, 1, bad, buf));
            assertRejected("quantizeU8: scale must be finite and > 0", () -> q.quantizeU8(buf, 1, bad, 0, buf));
            assertRejected("dequantizeS8: scale must be finite and > 0", () -> q.dequantizeS8(buf, 1, bad, buf));
        }
        assertRejected("quantizeU8: zeroPoint must be in [0, 255] (got 256)", () -> q.quantizeU8(buf, 1, 1f, 256, buf));
        assertRejected("quantizeU8: zeroPoint must be in [0, 255] (got -1)", () -> q.quantizeU8(buf, 1, 1f, -1, buf));
        assertRejected("quantizeS8: in too small: n=2 needs 8 bytes", () -> q.quantizeS8(small, 2, 1f, buf));
        assertRejected("dequantizeS8: out too small: n=2 needs 8 bytes", () -> q.dequantizeS8(buf, 2, 1f, small));
        assertRejected("quantizeU8: out is the NULL segment", () -> q.quantizeU8(buf, 0, 1f, 0, MemorySegment.NULL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizers")
    void statistics(Quantizer q) {
        MemorySegment scratch = arena.allocate(64);
        assertRejected("minMax: n must be >= 1 (got 0)", () -> q.minMax(buf, 0));
        assertRejected("minMax: in too small: n=17", () -> q.minMax(buf, 17));
        assertRejected("minMax: in is null", () -> q.minMax(null, 1));
        assertRejected("absPercentile: n must be >= 1 (got -1)", () -> q.absPercentile(buf, -1, 50, scratch));
        for (double bad : new double[] {0, -1, 100.0001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertRejected("absPercentile: percentile must be in (0, 100] (got " + bad + ")",
                    () -> q.absPercentile(buf, 4, bad, scratch));
        }
        assertRejected("absPercentile: scratch too small: n=4 needs 16 bytes but scratch.byteSize()=4",
                () -> q.absPercentile(buf, 4, 50, small));
        assertRejected("absPercentile: scratch overlaps in", () -> q.absPercentile(buf, 4, 50, buf.asSlice(12)));
        assertRejected("absPercentile: scratch is a read-only segment", () -> q.absPercentile(buf, 4, 50, scratch.asReadOnly()));
        MemorySegment in = ones();
        assertDoesNotThrow(() -> q.absPercentile(in, 4, 50, in.asSlice(16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizers")
    void rows(Quantizer q) {
        MemorySegment scales = arena.allocate(16);
        MemorySegment out = arena.allocate(16);
        assertDoesNotThrow(() -> q.quantizeS8Rows(ones(), 4, 4, 4, scales, out));
        assertRejected("quantizeS8Rows: rows must be >= 0 (got -1)", () -> q.quantizeS8Rows(buf, -1, 4, 4, scales, out));
        assertRejected("quantizeS8Rows: cols must be >= 1 (got 0)", () -> q.quantizeS8Rows(buf, 1, 0, 4, scales, out));
        assertRejected("quantizeS8Rows: ld must be >= cols (got ld=3, cols=4)", () -> q.quantizeS8Rows(buf, 1, 4, 3, scales, out));
        assertRejected("quantizeS8Rows: in too small: rows=3, cols=4, ld=7", () -> q.quantizeS8Rows(buf, 3, 4, 7, scales, out));
        assertRejected("quantizeS8Rows: scales too small: n=4 needs 16 bytes", () -> q.quantizeS8Rows(buf, 4, 4, 4, small, out));
        assertRejected("quantizeS8Rows: out too small: rows*cols=16 bytes but out.byteSize()=4",
                () -> q.quantizeS8Rows(buf, 4, 4, 4, scales, small));
        assertRejected("quantizeS8Rows: matrix extent overflows",
                () -> q.quantizeS8Rows(buf, Long.MAX_VALUE / 4, 4, Long.MAX_VALUE / 8, scales, out));
        assertRejected("quantizeS8Rows: scales is null", () -> q.quantizeS8Rows(buf, 0, 4, 4, null, out));
    }
}

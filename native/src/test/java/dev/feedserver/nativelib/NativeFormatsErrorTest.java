package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The C boundary's own validation of the format and quantization functions (raw bindings). */
class NativeFormatsErrorTest {

    private static final MemorySegment NULL = MemorySegment.NULL;

    private static void assertFails(int expectedStatus, String expectedMessage, int status) {
        assertEquals(expectedMessage, feed_native_h.fn_last_error().getString(0));
        assertEquals(expectedStatus, status, expectedMessage);
    }

    private static int invalid() {
        return feed_native_h.FN_ERR_INVALID_ARGUMENT();
    }

    private static int nullPointer() {
        return feed_native_h.FN_ERR_NULL_POINTER();
    }

    @Test
    void conversions() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(64);
            assertFails(nullPointer(), "fn_f32_to_fp8: in is NULL", feed_native_h.fn_f32_to_fp8(NULL, 1, 0, 1, b));
            assertFails(nullPointer(), "fn_fp8_to_f32: out is NULL", feed_native_h.fn_fp8_to_f32(b, 1, 1, NULL));
            assertFails(invalid(), "fn_f32_to_fp8: format must be FN_FP8_E4M3 (0) or FN_FP8_E5M2 (1) (got 2)",
                    feed_native_h.fn_f32_to_fp8(b, 1, 2, 0, b));
            assertFails(invalid(), "fn_fp8_to_f32: format must be FN_FP8_E4M3 (0) or FN_FP8_E5M2 (1) (got -1)",
                    feed_native_h.fn_fp8_to_f32(b, 1, -1, b));
            assertFails(invalid(), "fn_f32_to_bf16: n must be >= 0 (got -1)", feed_native_h.fn_f32_to_bf16(b, -1, b));
            assertFails(nullPointer(), "fn_bf16_to_f32: in is NULL", feed_native_h.fn_bf16_to_f32(NULL, 2, b));
            assertFails(nullPointer(), "fn_f32_to_f16: out is NULL", feed_native_h.fn_f32_to_f16(b, 2, NULL));
            assertFails(invalid(), "fn_f16_to_f32: n=9223372036854775807 elements of 2 bytes overflow the address space",
                    feed_native_h.fn_f16_to_f32(b, Long.MAX_VALUE, b));
            // Nothing to read or write: NULL is fine.
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_f32_to_fp8(NULL, 0, 0, 0, NULL));
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_f16_to_f32(NULL, 0, NULL));
        }
    }

    @Test
    void quantization() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(64);
            assertFails(invalid(), "fn_quantize_s8: scale must be finite and > 0 (got 0)", feed_native_h.fn_quantize_s8(b, 1, 0f, b));
            assertFails(invalid(), "fn_quantize_s8: scale must be finite and > 0 (got nan)",
                    feed_native_h.fn_quantize_s8(b, 1, Float.NaN, b));
            assertFails(invalid(), "fn_dequantize_s8: scale must be finite and > 0 (got -1)",
                    feed_native_h.fn_dequantize_s8(b, 1, -1f, b));
            assertFails(invalid(), "fn_quantize_u8: scale must be finite and > 0 (got inf)",
                    feed_native_h.fn_quantize_u8(b, 1, Float.POSITIVE_INFINITY, 0, b));
            assertFails(invalid(), "fn_quantize_u8: zero_point must be in [0, 255] (got 300)",
                    feed_native_h.fn_quantize_u8(b, 1, 1f, 300, b));
            assertFails(invalid(), "fn_quantize_s8: n must be >= 0 (got -5)", feed_native_h.fn_quantize_s8(b, -5, 1f, b));
            assertFails(nullPointer(), "fn_dequantize_s8: in is NULL", feed_native_h.fn_dequantize_s8(NULL, 1, 1f, b));
            assertFails(invalid(), "fn_quantize_s8_rows: cols must be >= 1 (got 0)",
                    feed_native_h.fn_quantize_s8_rows(b, 1, 0, 1, b, b));
            assertFails(invalid(), "fn_quantize_s8_rows: ld must be >= cols (got ld=1, cols=2)",
                    feed_native_h.fn_quantize_s8_rows(b, 1, 2, 1, b, b));
            assertFails(invalid(), "fn_quantize_s8_rows: rows must be >= 0 (got -1)",
                    feed_native_h.fn_quantize_s8_rows(b, -1, 2, 2, b, b));
            assertFails(invalid(), "fn_quantize_s8_rows: matrix extent overflows (rows=4611686018427387904, cols=2, ld=2)",
                    feed_native_h.fn_quantize_s8_rows(b, 1L << 62, 2, 2, b, b));
            assertFails(nullPointer(), "fn_quantize_s8_rows: scales is NULL", feed_native_h.fn_quantize_s8_rows(b, 1, 2, 2, NULL, b));
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_quantize_s8_rows(NULL, 0, 2, 2, NULL, NULL));
        }
    }

    @Test
    void statistics() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(64);
            MemorySegment out = arena.allocate(8);
            assertFails(invalid(), "fn_minmax_f32: n must be >= 1 (got 0)", feed_native_h.fn_minmax_f32(b, 0, out, out));
            assertFails(nullPointer(), "fn_minmax_f32: out_max is NULL", feed_native_h.fn_minmax_f32(b, 1, out, NULL));
            b.fill((byte) 0xFF); // all NaN
            assertFails(invalid(), "fn_minmax_f32: all 3 values are NaN", feed_native_h.fn_minmax_f32(b, 3, out, out));
            assertFails(invalid(), "fn_abs_percentile_f32: all 2 values are NaN",
                    feed_native_h.fn_abs_percentile_f32(b, 2, 50, b.asSlice(32), out));
            assertFails(invalid(), "fn_abs_percentile_f32: percentile must be in (0, 100] (got 0)",
                    feed_native_h.fn_abs_percentile_f32(b, 2, 0, b.asSlice(32), out));
            assertFails(invalid(), "fn_abs_percentile_f32: percentile must be in (0, 100] (got 100.5)",
                    feed_native_h.fn_abs_percentile_f32(b, 2, 100.5, b.asSlice(32), out));
            assertFails(invalid(), "fn_abs_percentile_f32: scratch overlaps in (the input must be left untouched)",
                    feed_native_h.fn_abs_percentile_f32(b, 4, 50, b.asSlice(4), out));
            assertFails(nullPointer(), "fn_abs_percentile_f32: scratch is NULL",
                    feed_native_h.fn_abs_percentile_f32(b, 4, 50, NULL, out));
            assertFails(nullPointer(), "fn_abs_percentile_f32: out is NULL",
                    feed_native_h.fn_abs_percentile_f32(b, 4, 50, b.asSlice(32), NULL));
        }
    }
}

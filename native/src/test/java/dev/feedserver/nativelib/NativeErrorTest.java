package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The C boundary's own validation: status codes and fn_last_error messages (raw bindings). */
class NativeErrorTest {

    private static String lastError() {
        return feed_native_h.fn_last_error().getString(0);
    }

    @Test
    void nullPointers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            assertEquals(feed_native_h.FN_ERR_NULL_POINTER(),
                    feed_native_h.fn_dot_f32_batch(MemorySegment.NULL, 1, 4, buf, 4, buf));
            assertEquals("fn_dot_f32_batch: matrix is NULL", lastError());
            assertEquals(feed_native_h.FN_ERR_NULL_POINTER(),
                    feed_native_h.fn_dot_s8_batch(buf, 1, 4, MemorySegment.NULL, 4, buf));
            assertEquals("fn_dot_s8_batch: query is NULL", lastError());
            assertEquals(feed_native_h.FN_ERR_NULL_POINTER(),
                    feed_native_h.fn_dot_s8_batch(buf, 1, 4, buf, 4, MemorySegment.NULL));
            assertEquals("fn_dot_s8_batch: out is NULL", lastError());
            assertEquals(feed_native_h.FN_ERR_NULL_POINTER(), feed_native_h.fn_get_info(MemorySegment.NULL));
            assertEquals("fn_get_info: out is NULL", lastError());
        }
    }

    @Test
    void invalidArguments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            int invalid = feed_native_h.FN_ERR_INVALID_ARGUMENT();
            assertEquals(invalid, feed_native_h.fn_dot_f32_batch(buf, -1, 4, buf, 4, buf));
            assertEquals("fn_dot_f32_batch: rows must be >= 0 (got -1)", lastError());
            assertEquals(invalid, feed_native_h.fn_dot_f32_batch(buf, 1, 4, buf, 0, buf));
            assertEquals("fn_dot_f32_batch: dim must be > 0 (got 0)", lastError());
            assertEquals(invalid, feed_native_h.fn_dot_s8_batch(buf, 1, 3, buf, 4, buf));
            assertEquals("fn_dot_s8_batch: row_stride must be >= dim (got row_stride=3, dim=4)", lastError());
            assertEquals(invalid, feed_native_h.fn_dot_f32_batch(buf, 1L << 40, 1L << 40, buf, 4, buf));
            assertTrue(lastError().contains("matrix extent (rows-1)*row_stride+dim overflows"), lastError());
            assertEquals(invalid, feed_native_h.fn_set_isa(99));
            assertTrue(lastError().startsWith("fn_set_isa: unknown isa 99"), lastError());
            assertEquals(invalid, feed_native_h.fn_set_isa(4));
            assertTrue(lastError().contains("FN_ISA_AVXVNNI=3"), lastError());
        }
    }

    @Test
    void zeroRowsIsANoOp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_dot_f32_batch(buf, 0, 4, buf, 4, buf));
        }
    }

    @Test
    void nativeErrorBecomesNativeExceptionWithLastErrorText() {
        int status = feed_native_h.fn_set_isa(-5);
        NativeException e = assertThrows(NativeException.class, () -> NativeKernels.check(status));
        assertEquals(feed_native_h.FN_ERR_INVALID_ARGUMENT(), e.status());
        assertTrue(e.getMessage().contains("fn_set_isa: unknown isa -5"), e.getMessage());
    }

    @Test
    void forcingAnUnsupportedIsaFailsAndKeepsThePath() {
        List<String> supported = NativeKernels.info().supported();
        String missing = List.of("avx2", "avxvnni", "avx512vnni").stream()
                .filter(isa -> !supported.contains(isa)).findFirst().orElse(null);
        assumeTrue(missing != null, "this CPU supports every kernel path");
        String before = NativeKernels.info().isa();
        NativeException e = assertThrows(NativeException.class, () -> NativeKernels.forceIsa(missing));
        assertEquals(feed_native_h.FN_ERR_UNSUPPORTED_ISA(), e.status());
        assertTrue(e.getMessage().contains("cannot run " + missing), e.getMessage());
        assertEquals(before, NativeKernels.info().isa());
    }

    @Test
    void lastErrorIsThreadLocal() throws InterruptedException {
        assertEquals(feed_native_h.FN_ERR_INVALID_ARGUMENT(), feed_native_h.fn_set_isa(42));
        AtomicReference<String> seenByOtherThread = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> seenByOtherThread.set(lastError()));
        other.join();
        assertEquals("", seenByOtherThread.get());
        assertTrue(lastError().contains("unknown isa 42"), lastError());
    }
}

package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** NativeKernels rejects bad calls in Java, before any native code runs, with a clear message. */
class FacadeArgumentTest {

    private static Arena arena;
    private static MemorySegment matrix; // 4 rows x 8 floats (or 128 bytes)
    private static MemorySegment query;  // 8 floats
    private static MemorySegment out;    // 4 floats/ints

    @BeforeAll
    static void allocate() {
        arena = Arena.ofShared();
        matrix = arena.allocate(32 * Float.BYTES);
        query = arena.allocate(8 * Float.BYTES);
        out = arena.allocate(4 * Float.BYTES);
    }

    @AfterAll
    static void free() {
        arena.close();
    }

    private static void assertRejected(String expectedFragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment),
                () -> "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }

    @Test
    void validCallsPass() {
        assertDoesNotThrow(() -> NativeKernels.dotF32Batch(matrix, 4, 8, query, 8, out));
        assertDoesNotThrow(() -> NativeKernels.dotS8Batch(matrix, 4, 32, query, 32, out));
        assertDoesNotThrow(() -> NativeKernels.dotF32Batch(matrix, 0, 8, query, 8, out));
    }

    @Test
    void badSizes() {
        assertRejected("dotF32Batch: dim must be > 0 (got 0)", () -> NativeKernels.dotF32Batch(matrix, 1, 8, query, 0, out));
        assertRejected("rows must be >= 0 (got -1)", () -> NativeKernels.dotF32Batch(matrix, -1, 8, query, 8, out));
        assertRejected("rowStride must be >= dim (got rowStride=7, dim=8)",
                () -> NativeKernels.dotF32Batch(matrix, 1, 7, query, 8, out));
        assertRejected("dotS8Batch: dim must be > 0", () -> NativeKernels.dotS8Batch(matrix, 1, 8, query, -3, out));
    }

    @Test
    void segmentsTooSmall() {
        assertRejected("matrix too small", () -> NativeKernels.dotF32Batch(matrix, 5, 8, query, 8, out));
        assertRejected("matrix too small", () -> NativeKernels.dotF32Batch(matrix, 4, 9, query, 8, out));
        assertRejected("query too small", () -> NativeKernels.dotF32Batch(matrix, 1, 9, query, 9, out));
        assertRejected("out too small", () -> NativeKernels.dotF32Batch(matrix, 4, 8, query, 8, out.asSlice(4)));
        assertRejected("matrix too small", () -> NativeKernels.dotS8Batch(matrix, 2, 100, query, 32, out));
        assertRejected("out too small", () -> NativeKernels.dotS8Batch(matrix, 5, 8, query, 8, out));
        assertRejected("matrix extent overflows",
                () -> NativeKernels.dotF32Batch(matrix, Long.MAX_VALUE / 2, Long.MAX_VALUE / 4, query, 8, out));
    }

    @Test
    void unusableSegments() {
        assertRejected("matrix is null", () -> NativeKernels.dotF32Batch(null, 1, 8, query, 8, out));
        assertRejected("query is null", () -> NativeKernels.dotS8Batch(matrix, 1, 8, null, 8, out));
        assertRejected("out is null", () -> NativeKernels.dotS8Batch(matrix, 1, 8, query, 8, null));
        assertRejected("matrix is the NULL segment",
                () -> NativeKernels.dotF32Batch(MemorySegment.NULL, 0, 8, query, 8, out));
        assertRejected("query must be a native",
                () -> NativeKernels.dotF32Batch(matrix, 1, 8, MemorySegment.ofArray(new float[8]), 8, out));
        assertRejected("out is a read-only segment",
                () -> NativeKernels.dotF32Batch(matrix, 1, 8, query, 8, out.asReadOnly()));
        MemorySegment closed;
        try (Arena temp = Arena.ofConfined()) {
            closed = temp.allocate(64);
        }
        MemorySegment dead = closed;
        assertRejected("matrix belongs to an arena that is already closed",
                () -> NativeKernels.dotF32Batch(dead, 1, 8, query, 8, out));
    }

    @Test
    void unknownIsaName() {
        assertRejected("forceIsa: unknown isa 'sse9'", () -> NativeKernels.forceIsa("sse9"));
        assertRejected("unknown isa 'null'", () -> NativeKernels.forceIsa(null));
    }
}

package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.MlpFixtures.TREE_OUTPUTS;
import static dev.feedserver.nativelib.MlpFixtures.input;
import static dev.feedserver.nativelib.MlpFixtures.lastError;
import static dev.feedserver.nativelib.MlpFixtures.rawModel;
import static dev.feedserver.nativelib.MlpFixtures.rawScratchBytes;
import static dev.feedserver.nativelib.MlpFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fn_mlp_forward_add at the C boundary (raw bindings, no Java checks): a NULL addend is
 * fn_mlp_forward bit for bit, every kernel path equals the scalar path with an addend, and bad
 * arguments give the documented status and message.
 */
class MlpForwardAddBoundaryTest {

    private static final int OK = feed_native_h.FN_OK();

    static List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void nullAddendIsFnMlpForwardAndEveryPathIsTheScalarPath(String isa) {
        SplittableRandom rnd = new SplittableRandom(0xC0DE);
        int rows = 203;
        long ldAdd = 48 + 7;
        for (Activation hidden : Activation.values()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment model = rawModel(arena, tree(rnd, hidden), TREE_OUTPUTS);
                try {
                    long outBytes = 4L * rows * 47;
                    MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
                    MemorySegment add = input(arena, rnd, rows, 48, ldAdd, 4);
                    long need = rawScratchBytes(arena, model, rows);
                    MemorySegment scratch = arena.allocate(need);
                    MemorySegment plain = arena.allocate(outBytes);
                    MemorySegment viaAdd = arena.allocate(outBytes);
                    MemorySegment added = arena.allocate(outBytes);
                    MemorySegment scalar = arena.allocate(outBytes);
                    Isas.with(isa, () -> {
                        assertEquals(OK, feed_native_h.fn_mlp_forward(model, x, rows, 64, scratch, need, plain, 47));
                        // ld_add is ignored without an addend, even a nonsensical one
                        assertEquals(OK, feed_native_h.fn_mlp_forward_add(model, x, rows, 64, MemorySegment.NULL, -3,
                                scratch, need, viaAdd, 47));
                        assertEquals(OK, feed_native_h.fn_mlp_forward_add(model, x, rows, 64, add, ldAdd, scratch, need,
                                added, 47));
                    });
                    Isas.with("scalar", () -> assertEquals(OK, feed_native_h.fn_mlp_forward_add(model, x, rows, 64,
                            add, ldAdd, scratch, need, scalar, 47)));
                    assertEquals(-1L, plain.mismatch(viaAdd), isa + " " + hidden + ": NULL addend != fn_mlp_forward");
                    assertEquals(-1L, added.mismatch(scalar), isa + " " + hidden + ": addend result != scalar path");
                } finally {
                    assertEquals(OK, feed_native_h.fn_mlp_destroy(model));
                }
            }
        }
    }

    @Test
    void badArgumentsGiveTheStatusAndMessage() {
        int nul = feed_native_h.FN_ERR_NULL_POINTER();
        int inv = feed_native_h.FN_ERR_INVALID_ARGUMENT();
        SplittableRandom rnd = new SplittableRandom(9);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment model = rawModel(arena, List.of(MlpFixtures.dense(rnd, 4, 3, Activation.RELU, -1, true),
                    MlpFixtures.dense(rnd, 3, 2, Activation.NONE, 0, true)), 1);
            try {
                long need = rawScratchBytes(arena, model, 10);
                MemorySegment buf = arena.allocate(need + 4096);
                assertEquals(inv, feed_native_h.fn_mlp_forward_add(model, buf, 10, 4, buf, 2, buf, need, buf, 2));
                assertEquals("fn_mlp_forward_add: ld_add must be >= layer 0's out=3 (got 2)", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward_add(MemorySegment.NULL, buf, 10, 4, buf, 3, buf, need,
                        buf, 2));
                assertEquals("fn_mlp_forward_add: model is NULL", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward_add(model, MemorySegment.NULL, 10, 4, buf, 3, buf, need,
                        buf, 2));
                assertEquals("fn_mlp_forward_add: x is NULL", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward_add(model, buf, 10, 4, buf, 3, MemorySegment.NULL, need,
                        buf, 2));
                assertEquals("fn_mlp_forward_add: scratch is NULL", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_add(model, buf, 10, 4, buf, 3, buf, need - 1, buf, 2));
                assertEquals("fn_mlp_forward_add: scratch_bytes=" + (need - 1) + " but 10 rows need " + need
                        + " (fn_mlp_scratch_size)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_add(model, buf, 10, 4, buf, Long.MAX_VALUE / 2, buf,
                        need, buf, 2));
                assertEquals("fn_mlp_forward_add: extent of x, addend or out overflows (rows=10)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_add(model, buf, -1, 4, buf, 3, buf, need, buf, 2));
                assertEquals("fn_mlp_forward_add: rows must be >= 0 (got -1)", lastError());
                // without an addend ld_add is ignored, also by the overflow check
                MemorySegment x = arena.allocate(4L * 10 * 4);
                MemorySegment out = arena.allocate(4L * 10 * 2);
                assertEquals(OK, feed_native_h.fn_mlp_forward_add(model, x, 10, 4, MemorySegment.NULL, Long.MAX_VALUE,
                        arena.allocate(need), need, out, 2));
            } finally {
                assertEquals(OK, feed_native_h.fn_mlp_destroy(model));
            }
        }
    }
}

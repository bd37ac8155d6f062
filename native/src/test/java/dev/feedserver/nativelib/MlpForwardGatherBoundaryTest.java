package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.MlpFixtures.TREE_OUTPUTS;
import static dev.feedserver.nativelib.MlpFixtures.addend;
import static dev.feedserver.nativelib.MlpFixtures.indexes;
import static dev.feedserver.nativelib.MlpFixtures.input;
import static dev.feedserver.nativelib.MlpFixtures.lastError;
import static dev.feedserver.nativelib.MlpFixtures.rawModel;
import static dev.feedserver.nativelib.MlpFixtures.rawScratchBytes;
import static dev.feedserver.nativelib.MlpFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fn_mlp_forward_gather at the C boundary (raw bindings, no Java checks): every kernel path
 * equals the scalar path, a NULL shared row is fn_mlp_forward_add with the gathered rows
 * copied, and bad arguments -- an index out of range above all -- give the documented status
 * and message and compute nothing.
 */
class MlpForwardGatherBoundaryTest {

    private static final int OK = feed_native_h.FN_OK();

    static List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void everyPathIsTheScalarPathAndNullSharedIsTheCopiedAddend(String isa) {
        SplittableRandom rnd = new SplittableRandom(0x6A7E);
        int rows = 203;
        int tableRows = 50;
        long ldTable = 48 + 3;
        for (Activation hidden : Activation.values()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment model = rawModel(arena, tree(rnd, hidden), TREE_OUTPUTS);
                try {
                    long outBytes = 4L * rows * 47;
                    MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
                    MemorySegment table = addend(arena, rnd, tableRows, 48, ldTable, 4);
                    MemorySegment shared = addend(arena, rnd, 1, 48, 48, 0);
                    MemorySegment index = indexes(arena, rnd, rows, tableRows, 0);
                    MemorySegment copied = arena.allocate(4L * rows * 48);
                    for (int r = 0; r < rows; r++) {
                        MemorySegment.copy(table, 4L * index.getAtIndex(ValueLayout.JAVA_INT, r) * ldTable, copied,
                                4L * r * 48, 4L * 48);
                    }
                    long need = rawScratchBytes(arena, model, rows);
                    MemorySegment scratch = arena.allocate(need);
                    MemorySegment gathered = arena.allocate(outBytes);
                    MemorySegment noShared = arena.allocate(outBytes);
                    MemorySegment viaAdd = arena.allocate(outBytes);
                    MemorySegment scalar = arena.allocate(outBytes);
                    Isas.with(isa, () -> {
                        assertEquals(OK, feed_native_h.fn_mlp_forward_gather(model, x, rows, 64, table, ldTable,
                                tableRows, index, shared, scratch, need, gathered, 47), MlpFixtures::lastError);
                        assertEquals(OK, feed_native_h.fn_mlp_forward_gather(model, x, rows, 64, table, ldTable,
                                tableRows, index, MemorySegment.NULL, scratch, need, noShared, 47));
                        assertEquals(OK, feed_native_h.fn_mlp_forward_add(model, x, rows, 64, copied, 48, scratch,
                                need, viaAdd, 47));
                    });
                    Isas.with("scalar", () -> assertEquals(OK, feed_native_h.fn_mlp_forward_gather(model, x, rows, 64,
                            table, ldTable, tableRows, index, shared, scratch, need, scalar, 47)));
                    assertEquals(-1L, gathered.mismatch(scalar), isa + " " + hidden + ": gather != scalar path");
                    assertEquals(-1L, noShared.mismatch(viaAdd), isa + " " + hidden + ": NULL shared != copied addend");
                } finally {
                    assertEquals(OK, feed_native_h.fn_mlp_destroy(model));
                }
            }
        }
    }

    @Test
    void badArgumentsGiveTheStatusAndMessageAndComputeNothing() {
        int nul = feed_native_h.FN_ERR_NULL_POINTER();
        int inv = feed_native_h.FN_ERR_INVALID_ARGUMENT();
        SplittableRandom rnd = new SplittableRandom(10);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment model = rawModel(arena, List.of(MlpFixtures.dense(rnd, 4, 3, Activation.RELU, -1, true),
                    MlpFixtures.dense(rnd, 3, 2, Activation.NONE, 0, true)), 1);
            try {
                int rows = 10;
                long need = rawScratchBytes(arena, model, rows);
                MemorySegment x = input(arena, rnd, rows, 4, 4, 0);
                MemorySegment table = addend(arena, rnd, 50, 3, 3, 0);
                MemorySegment index = indexes(arena, rnd, rows, 50, 0);
                MemorySegment scratch = arena.allocate(need);
                MemorySegment out = arena.allocate(4L * rows * 2);
                MemorySegment n = MemorySegment.NULL;
                assertEquals(OK, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 50, index, n, scratch,
                        need, out, 2));

                out.fill((byte) 0x5A);
                index.setAtIndex(ValueLayout.JAVA_INT, 7, 50);
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 50, index, n,
                        scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: index[7]=50 is out of range 0..49 (table_rows=50)", lastError());
                index.setAtIndex(ValueLayout.JAVA_INT, 7, 49);
                index.setAtIndex(ValueLayout.JAVA_INT, 9, -1);
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 50, index, n,
                        scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: index[9]=-1 is out of range 0..49 (table_rows=50)", lastError());
                for (long i = 0; i < out.byteSize(); i++) {
                    assertEquals((byte) 0x5A, out.get(ValueLayout.JAVA_BYTE, i), "a rejected call wrote out");
                }
                index.setAtIndex(ValueLayout.JAVA_INT, 9, 0);

                assertEquals(nul, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, n, 3, 50, index, n, scratch,
                        need, out, 2));
                assertEquals("fn_mlp_forward_gather: table is NULL", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 50, n, n, scratch,
                        need, out, 2));
                assertEquals("fn_mlp_forward_gather: index is NULL", lastError());
                assertEquals(nul, feed_native_h.fn_mlp_forward_gather(n, x, rows, 4, table, 3, 50, index, n, scratch,
                        need, out, 2));
                assertEquals("fn_mlp_forward_gather: model is NULL", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 2, 50, index, n,
                        scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: ld_table must be >= layer 0's out=3 (got 2)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 0, index, n,
                        scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: table_rows must be >= 1 (got 0)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, Long.MAX_VALUE / 2,
                        index, n, scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: extent of table overflows (table_rows=" + Long.MAX_VALUE / 2
                        + ", ld_table=3)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, Long.MAX_VALUE / 2, table, 3, 50,
                        index, n, scratch, need, out, 2));
                assertEquals("fn_mlp_forward_gather: extent of x or out overflows (rows=10)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, rows, 4, table, 3, 50, index, n,
                        scratch, need - 1, out, 2));
                assertEquals("fn_mlp_forward_gather: scratch_bytes=" + (need - 1) + " but 10 rows need " + need
                        + " (fn_mlp_scratch_size)", lastError());
                assertEquals(inv, feed_native_h.fn_mlp_forward_gather(model, x, -1, 4, table, 3, 50, index, n, scratch,
                        need, out, 2));
                assertEquals("fn_mlp_forward_gather: rows must be >= 0 (got -1)", lastError());
                // no rows: the index is not read, even a bad one
                index.setAtIndex(ValueLayout.JAVA_INT, 0, -5);
                assertEquals(OK, feed_native_h.fn_mlp_forward_gather(model, x, 0, 4, table, 3, 50, index, n, scratch,
                        need, out, 2));
            } finally {
                assertEquals(OK, feed_native_h.fn_mlp_destroy(model));
            }
        }
    }
}

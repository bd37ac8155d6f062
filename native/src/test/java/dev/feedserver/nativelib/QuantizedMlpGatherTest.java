package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.MlpFixtures.TREE_OUTPUTS;
import static dev.feedserver.nativelib.MlpFixtures.addend;
import static dev.feedserver.nativelib.MlpFixtures.assertSameBits;
import static dev.feedserver.nativelib.MlpFixtures.dense;
import static dev.feedserver.nativelib.MlpFixtures.indexes;
import static dev.feedserver.nativelib.MlpFixtures.input;
import static dev.feedserver.nativelib.MlpFixtures.model;
import static dev.feedserver.nativelib.MlpFixtures.outputsOf;
import static dev.feedserver.nativelib.MlpFixtures.shapes;
import static dev.feedserver.nativelib.MlpFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QuantizedMlp.forwardGather: native == Java bit for bit on every kernel path; a gather is the
 * forward with the gathered rows materialised as its addend, then the shared row, then the
 * activation, in exactly that float order; and the argument checks, a bad index above all.
 */
class QuantizedMlpGatherTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    static List<String> impls() {
        return GemmImpls.all();
    }

    static List<String> isas() {
        return Isas.supported();
    }

    /** rows x width: row r is table row index[r], copied (the addend the ranker used to build). */
    private static MemorySegment materialise(Arena arena, MemorySegment table, long ldTable, MemorySegment index,
                                             int rows, int width) {
        MemorySegment rowsOut = arena.allocate(4L * rows * width);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(table, 4L * index.getAtIndex(I32, r) * ldTable, rowsOut, 4L * r * width, 4L * width);
        }
        return rowsOut;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void nativeEqualsJavaBitForBitOnEveryPath(String isa) {
        SplittableRandom rnd = new SplittableRandom(0x6A7);
        for (Activation hidden : Activation.values()) {
            for (List<Layer> layers : shapes(rnd, hidden)) {
                int[] outputs = outputsOf(layers);
                try (Arena arena = Arena.ofConfined();
                     QuantizedMlp nat = QuantizedMlp.createNative(layers, outputs);
                     QuantizedMlp java = QuantizedMlp.createJava(layers, outputs)) {
                    int width = nat.firstLayerWidth();
                    int tableRows = 37;
                    long ldTable = width + 5;
                    MemorySegment table = addend(arena, rnd, tableRows, width, ldTable, 12);
                    MemorySegment shared = addend(arena, rnd, 1, width, width, 4);
                    for (int rows : new int[] {1, 95, 203}) { // 203 = 96 + 96 + 11: three native row blocks
                        long ldx = nat.inDim() + 1;
                        long ldo = nat.outDim() + 2;
                        MemorySegment x = input(arena, rnd, rows, nat.inDim(), ldx, 4);
                        MemorySegment index = indexes(arena, rnd, rows, tableRows, rows == 95 ? 2 : 0); // 2: unaligned
                        MemorySegment scratch = arena.allocate(nat.scratchBytes(rows) + 3).asSlice(3);
                        for (MemorySegment s : Arrays.asList(null, shared)) {
                            MemorySegment a = arena.allocate(4L * ldo * rows);
                            MemorySegment b = arena.allocate(4L * ldo * rows);
                            Isas.with(isa, () -> nat.forwardGather(x, rows, ldx, table, ldTable, tableRows, index, s,
                                    scratch, a, ldo));
                            java.forwardGather(x, rows, ldx, table, ldTable, tableRows, index, s, scratch, b, ldo);
                            String what = isa + " " + hidden + " width " + width + " rows " + rows
                                    + (s == null ? " no shared" : " shared");
                            assertSameBits(a, b, rows, nat.outDim(), ldo, what);
                        }
                    }
                }
            }
        }
    }

    /**
     * y = act(((epilogue without activation) + table[index[r]]) + shared): the gathered rows as a
     * materialised addend through a linear copy of the layer, then + shared and the activation in
     * Java. Adding shared to the table row first, (e + (t + s)), rounds differently; the test
     * also shows that it does, so it would catch a kernel that adds in that order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void gatherIsTheMaterialisedAddendForwardThenTheSharedRow(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x0DE5);
        Layer plain = dense(rnd, 37, 21, Activation.NONE, -1, true);
        int rows = 100;
        int tableRows = 13;
        long ldTable = 21 + 2;
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp linear = model(impl, List.of(plain), 0)) {
                MemorySegment x = input(arena, rnd, rows, 37, 37, 0);
                MemorySegment table = addend(arena, rnd, tableRows, 21, ldTable, 8);
                MemorySegment shared = addend(arena, rnd, 1, 21, 21, 0);
                MemorySegment index = indexes(arena, rnd, rows, tableRows, 0);
                MemorySegment gathered = materialise(arena, table, ldTable, index, rows, 21);
                MemorySegment scratch = arena.allocate(linear.scratchBytes(rows));
                MemorySegment pre = arena.allocate(4L * rows * 21);
                linear.forward(x, rows, 37, gathered, 21, scratch, pre, 21);
                for (Activation act : Activation.values()) {
                    Layer layer = new Layer(37, 21, plain.weights(), plain.bias(), act, -1);
                    try (QuantizedMlp mlp = model(impl, List.of(layer), 0)) {
                        MemorySegment got = arena.allocate(4L * rows * 21);
                        mlp.forwardGather(x, rows, 37, table, ldTable, tableRows, index, shared, scratch, got, 21);
                        MemorySegment want = arena.allocate(4L * rows * 21);
                        for (long i = 0; i < rows * 21L; i++) {
                            float y = pre.get(F32, 4 * i) + shared.get(F32, 4 * (i % 21));
                            want.set(F32, 4 * i, EpilogueMath.activate(y, act));
                        }
                        assertSameBits(got, want, rows, 21, 21, impl + " " + act);

                        MemorySegment noShared = arena.allocate(4L * rows * 21);
                        mlp.forwardGather(x, rows, 37, table, ldTable, tableRows, index, null, scratch, noShared, 21);
                        MemorySegment viaAddend = arena.allocate(4L * rows * 21);
                        mlp.forward(x, rows, 37, gathered, 21, scratch, viaAddend, 21);
                        assertSameBits(noShared, viaAddend, rows, 21, 21, impl + " " + act + " without shared");
                    }
                }
                // the other order, addend = t + s, differs in some outputs: the order above is real
                MemorySegment summed = arena.allocate(4L * rows * 21);
                for (long i = 0; i < rows * 21L; i++) {
                    summed.set(F32, 4 * i, gathered.get(F32, 4 * i) + shared.get(F32, 4 * (i % 21)));
                }
                MemorySegment otherOrder = arena.allocate(4L * rows * 21);
                linear.forward(x, rows, 37, summed, 21, scratch, otherOrder, 21);
                MemorySegment gather = arena.allocate(4L * rows * 21);
                linear.forwardGather(x, rows, 37, table, ldTable, tableRows, index, shared, scratch, gather, 21);
                int differ = 0;
                for (long i = 0; i < rows * 21L; i++) {
                    differ += gather.get(F32, 4 * i) != otherOrder.get(F32, 4 * i) ? 1 : 0;
                }
                assertTrue(differ > 0, impl + ": (e + t) + s never differed from e + (t + s): order untested");
            }
        });
    }

    /** The tree (layer 4 also reads the input) over a gather without shared equals forward with the copied rows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void treeGatherWithoutSharedIsTheForwardWithTheCopiedRows(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x7EE);
        int rows = 203;
        int tableRows = 500;
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp mlp = model(impl, tree(rnd, Activation.RELU),
                    TREE_OUTPUTS)) {
                int outDim = mlp.outDim();
                MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
                MemorySegment table = addend(arena, rnd, tableRows, 48, 48, 0);
                MemorySegment index = indexes(arena, rnd, rows, tableRows, 0);
                MemorySegment scratch = arena.allocate(mlp.scratchBytes(rows));
                MemorySegment gathered = arena.allocate(4L * rows * outDim);
                MemorySegment copied = arena.allocate(4L * rows * outDim);
                mlp.forwardGather(x, rows, 64, table, 48, tableRows, index, null, scratch, gathered, outDim);
                mlp.forward(x, rows, 64, materialise(arena, table, 48, index, rows, 48), 48, scratch, copied, outDim);
                assertSameBits(gathered, copied, rows, outDim, outDim, impl + " tree");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void badIndexesAndArgumentsAreRejectedWithTheProblemNamed(String impl) {
        SplittableRandom rnd = new SplittableRandom(0xBAD1);
        QuantizedMlp mlp = model(impl, List.of(dense(rnd, 8, 4, Activation.RELU, -1, true)), 0);
        boolean nat = !impl.equals(GemmImpls.JAVA);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(4L * 3 * 8);
            MemorySegment out = arena.allocate(4L * 3 * 4);
            MemorySegment scratch = arena.allocate(mlp.scratchBytes(3));
            MemorySegment table = arena.allocate(4L * (9 * 6 + 4)); // 10 rows of 4, ldTable 6
            MemorySegment index = arena.allocateFrom(ValueLayout.JAVA_INT, 0, 9, 5);
            MemorySegment shared = arena.allocate(4L * 4);
            GemmImpls.with(impl, () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch, out, 4));

            out.fill((byte) 0x5A);
            index.setAtIndex(ValueLayout.JAVA_INT, 1, 10);
            rejected("forwardGather: index[1]=10 is out of range 0..9 (tableRows=10)",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch, out, 4));
            index.setAtIndex(ValueLayout.JAVA_INT, 1, 9);
            index.setAtIndex(ValueLayout.JAVA_INT, 2, -1);
            rejected("forwardGather: index[2]=-1 is out of range 0..9 (tableRows=10)",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch, out, 4));
            index.setAtIndex(ValueLayout.JAVA_INT, 2, Integer.MIN_VALUE);
            rejected("forwardGather: index[2]=-2147483648 is out of range 0..9 (tableRows=10)",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch, out, 4));
            for (long i = 0; i < out.byteSize(); i++) {
                assertEquals((byte) 0x5A, out.get(ValueLayout.JAVA_BYTE, i), "a rejected call wrote out");
            }
            index.setAtIndex(ValueLayout.JAVA_INT, 2, 5);

            rejected("forwardGather: tableRows must be >= 1 (got 0)",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 0, index, shared, scratch, out, 4));
            rejected("forwardGather: table too small: 11 rows of 4 elements, ldTable=6 need 256 bytes but "
                    + "table.byteSize()=232", () -> mlp.forwardGather(x, 3, 8, table, 6, 11, index, shared, scratch,
                    out, 4));
            rejected("forwardGather: ldTable must be >= 4, the row width of table (got 3)",
                    () -> mlp.forwardGather(x, 3, 8, table, 3, 10, index, shared, scratch, out, 4));
            rejected("forwardGather: index too small: 3 rows need 12 bytes but index.byteSize()=8",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index.asSlice(4), shared, scratch, out, 4));
            rejected("forwardGather: shared too small: 4 floats need 16 bytes but shared.byteSize()=12",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared.asSlice(4), scratch, out, 4));
            rejected("forwardGather: table is null",
                    () -> mlp.forwardGather(x, 3, 8, null, 6, 10, index, shared, scratch, out, 4));
            rejected("forwardGather: index is null",
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, null, shared, scratch, out, 4));
            rejected("forwardGather: x is null",
                    () -> mlp.forwardGather(null, 3, 8, table, 6, 10, index, shared, scratch, out, 4));
            rejected("forwardGather: rows must be >= 0 (got -1)",
                    () -> mlp.forwardGather(x, -1, 8, table, 6, 10, index, shared, scratch, out, 4));
            rejected("forwardGather: scratch too small: 3 rows need " + mlp.scratchBytes(3)
                    + " bytes (scratchBytes) but scratch.byteSize()=" + (mlp.scratchBytes(3) - 1),
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch.asSlice(1), out, 4));
            MemorySegment heap = MemorySegment.ofArray(new float[64]);
            if (nat) {
                rejected("forwardGather: table must be a native (off-heap or mapped) segment, not a heap segment",
                        () -> mlp.forwardGather(x, 3, 8, heap, 6, 10, index, shared, scratch, out, 4));
                rejected("forwardGather: shared is the NULL segment",
                        () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, MemorySegment.NULL, scratch, out, 4));
            } else {
                mlp.forwardGather(x, 3, 8, heap, 6, 10, MemorySegment.ofArray(new int[] {0, 9, 5}),
                        MemorySegment.ofArray(new float[4]), scratch, out, 4); // the Java model reads heap segments
            }
            mlp.forwardGather(x, 0, 8, table, 6, 10, index.asSlice(0, 0), null, scratch, out, 4); // no rows: no reads
            mlp.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> mlp.forwardGather(x, 3, 8, table, 6, 10, index, shared, scratch, out, 4));
            assertEquals("forwardGather: the model is closed", closed.getMessage());
        }
    }

    private static void rejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }
}

package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.MlpFixtures.TREE_OUTPUTS;
import static dev.feedserver.nativelib.MlpFixtures.addend;
import static dev.feedserver.nativelib.MlpFixtures.assertSameBits;
import static dev.feedserver.nativelib.MlpFixtures.dense;
import static dev.feedserver.nativelib.MlpFixtures.input;
import static dev.feedserver.nativelib.MlpFixtures.model;
import static dev.feedserver.nativelib.MlpFixtures.outputsOf;
import static dev.feedserver.nativelib.MlpFixtures.reference;
import static dev.feedserver.nativelib.MlpFixtures.shapes;
import static dev.feedserver.nativelib.MlpFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.MlpFixtures.Reference;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QuantizedMlp.forward with a layer-0 addend: native == Java bit for bit on every kernel path,
 * the exact float order, a split first layer against the whole layer in float64, only layer 0
 * affected, and the argument checks.
 */
class QuantizedMlpAddendTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static List<String> impls() {
        return GemmImpls.all();
    }

    static List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void nativeEqualsJavaBitForBitOnEveryPath(String isa) {
        SplittableRandom rnd = new SplittableRandom(0xADD);
        for (Activation hidden : Activation.values()) {
            for (List<Layer> layers : shapes(rnd, hidden)) {
                int[] outputs = outputsOf(layers);
                try (Arena arena = Arena.ofConfined();
                     QuantizedMlp nat = QuantizedMlp.createNative(layers, outputs);
                     QuantizedMlp java = QuantizedMlp.createJava(layers, outputs)) {
                    int width = nat.firstLayerWidth();
                    assertEquals(layers.get(0).out(), width);
                    assertEquals(width, java.firstLayerWidth());
                    for (int rows : new int[] {1, 95, 203}) { // 203 = 96 + 96 + 11: three native row blocks
                        long ldx = nat.inDim() + 1;
                        long ldAdd = rows == 95 ? width : width + 3;
                        long ldo = nat.outDim() + 2;
                        MemorySegment x = input(arena, rnd, rows, nat.inDim(), ldx, 4);
                        MemorySegment add = addend(arena, rnd, rows, width, ldAdd, 8);
                        MemorySegment scratch = arena.allocate(nat.scratchBytes(rows) + 3).asSlice(3);
                        MemorySegment a = arena.allocate(4L * ldo * rows);
                        MemorySegment b = arena.allocate(4L * ldo * rows);
                        Isas.with(isa, () -> nat.forward(x, rows, ldx, add, ldAdd, scratch, a, ldo));
                        java.forward(x, rows, ldx, add, ldAdd, scratch, b, ldo);
                        String what = isa + " " + hidden + " width " + width + " rows " + rows;
                        assertSameBits(a, b, rows, nat.outDim(), ldo, what);
                        // rows stay independent: one row with its own addend row gives the same bits
                        MemorySegment one = arena.allocate(4L * nat.outDim());
                        int last = rows - 1;
                        Isas.with(isa, () -> nat.forward(x.asSlice(4L * last * ldx), 1, ldx,
                                add.asSlice(4L * last * ldAdd), width, scratch, one, nat.outDim()));
                        assertSameBits(one, a.asSlice(4L * last * ldo), 1, nat.outDim(), ldo, what + " alone");
                    }
                }
            }
        }
    }

    /** y = act((epilogue without activation) + addend): checked against the same weights with activation NONE. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void addendIsAddedAfterTheBiasThenActivated(String impl) {
        SplittableRandom rnd = new SplittableRandom(0xB1A5);
        Layer plain = dense(rnd, 37, 21, Activation.NONE, -1, true);
        int rows = 100;
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp linear = model(impl, List.of(plain), 0)) {
                MemorySegment x = input(arena, rnd, rows, 37, 37, 0);
                MemorySegment add = addend(arena, rnd, rows, 21, 21, 0);
                MemorySegment scratch = arena.allocate(linear.scratchBytes(rows));
                MemorySegment pre = arena.allocate(4L * rows * 21);
                linear.forward(x, rows, scratch, pre);
                for (Activation act : Activation.values()) {
                    Layer layer = new Layer(37, 21, plain.weights(), plain.bias(), act, -1);
                    try (QuantizedMlp mlp = model(impl, List.of(layer), 0)) {
                        MemorySegment got = arena.allocate(4L * rows * 21);
                        mlp.forward(x, rows, 37, add, 21, scratch, got, 21);
                        MemorySegment want = arena.allocate(4L * rows * 21);
                        for (long i = 0; i < rows * 21L; i++) {
                            float y = pre.get(F32, 4 * i) + add.get(F32, 4 * i); // the float add, then act
                            want.set(F32, 4 * i, EpilogueMath.activate(y, act));
                        }
                        assertSameBits(got, want, rows, 21, 21, impl + " " + act);
                    }
                }
            }
        });
    }

    /**
     * The use the addend exists for: layer 0 of the whole model reads [cross | rest] features; the
     * caller computes W_rest x_rest itself and passes it as the addend, the model sees only the
     * cross features. The result must match the whole layer in float64 within the derived bound.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void splitFirstLayerMatchesTheWholeLayerInFloat64(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x5917);
        List<Layer> layers = tree(rnd, Activation.RELU); // layer 0: the 64 cross features -> 48
        int rest = 40;
        double[] restW = new double[48 * rest];
        for (int i = 0; i < restW.length; i++) {
            restW[i] = (float) (rnd.nextGaussian() / Math.sqrt(rest));
        }
        int rows = 203;
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp mlp = model(impl, layers, TREE_OUTPUTS)) {
                long ldx = 64 + 3;
                long ldAdd = 48 + 5;
                long ldo = mlp.outDim() + 1;
                MemorySegment x = input(arena, rnd, rows, 64, ldx, 4);
                MemorySegment xRest = input(arena, rnd, rows, rest, rest, 0);
                double[][] exactAddend = new double[rows][48];
                MemorySegment add = arena.allocate(4L * ldAdd * rows + 12).asSlice(12);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < 48; j++) {
                        double s = 0;
                        for (int k = 0; k < rest; k++) {
                            s += restW[j * rest + k] * xRest.get(F32, 4L * (r * rest + k));
                        }
                        exactAddend[r][j] = s;
                        add.set(F32, 4L * (r * ldAdd + j), (float) s);
                    }
                }
                MemorySegment scratch = arena.allocate(mlp.scratchBytes(rows));
                MemorySegment out = arena.allocate(4L * ldo * rows);
                mlp.forward(x, rows, ldx, add, ldAdd, scratch, out, ldo);
                double worstRatio = 0;
                for (int r = 0; r < rows; r++) {
                    double[] xr = new double[64];
                    for (int k = 0; k < 64; k++) {
                        xr[k] = x.get(F32, 4L * (r * ldx + k));
                    }
                    Reference ref = reference(layers, xr, exactAddend[r]);
                    int col = 0;
                    for (int l : TREE_OUTPUTS) {
                        for (int j = 0; j < layers.get(l).out(); j++, col++) {
                            double got = out.get(F32, 4L * (r * ldo + col));
                            double err = Math.abs(got - ref.value()[l][j]);
                            double bound = ref.bound()[l][j];
                            if (!(err <= bound)) {
                                fail(impl + " row " + r + " layer " + l + " output " + j + ": got " + got + ", float64 "
                                        + ref.value()[l][j] + ", error " + err + " > derived bound " + bound);
                            }
                            worstRatio = bound > 0 ? Math.max(worstRatio, err / bound) : worstRatio;
                        }
                    }
                }
                System.out.printf("QuantizedMlp addend %s: worst error / derived bound = %.3f%n", impl, worstRatio);
                assertTrue(worstRatio > 0, "the bound is never approached at all: suspicious");
            }
        });
    }

    /** Layer 4 of the tree also reads the model input: the addend must leave it alone, and change layer 0's heads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void onlyLayerZeroTakesTheAddendAndNullMeansNone(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x10);
        List<Layer> layers = tree(rnd, Activation.SILU);
        int rows = 97;
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp mlp = model(impl, layers, TREE_OUTPUTS)) {
                int outDim = mlp.outDim();
                MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
                MemorySegment add = addend(arena, rnd, rows, 48, 48, 0);
                MemorySegment scratch = arena.allocate(mlp.scratchBytes(rows));
                MemorySegment plain = arena.allocate(4L * rows * outDim);
                MemorySegment withNull = arena.allocate(4L * rows * outDim);
                MemorySegment withAdd = arena.allocate(4L * rows * outDim);
                mlp.forward(x, rows, scratch, plain);
                mlp.forward(x, rows, 64, null, -1, scratch, withNull, outDim);
                mlp.forward(x, rows, 64, add, 48, scratch, withAdd, outDim);
                assertEquals(-1L, plain.mismatch(withNull), "a null addend is the forward without one");
                int layer4From = 3 + 5; // outputs {2, 3, 4, 1}: widths 3, 5, 7, 32
                int changed = 0;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < outDim; c++) {
                        long at = 4L * (r * outDim + c);
                        boolean same = Float.floatToRawIntBits(plain.get(F32, at))
                                == Float.floatToRawIntBits(withAdd.get(F32, at));
                        if (c >= layer4From && c < layer4From + 7) {
                            assertTrue(same, impl + ": layer 4 (reads the input) changed at row " + r + " col " + c);
                        } else if (!same) {
                            changed++;
                        }
                    }
                }
                assertTrue(changed > rows * (outDim - 7) / 2, impl + ": the addend changed only " + changed + " outputs");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void badArgumentsAreRejectedWithTheProblemNamed(String impl) {
        SplittableRandom rnd = new SplittableRandom(0xBAD);
        QuantizedMlp mlp = model(impl, List.of(dense(rnd, 8, 4, Activation.RELU, -1, true)), 0);
        boolean nat = !impl.equals(GemmImpls.JAVA);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(4, mlp.firstLayerWidth());
            MemorySegment x = arena.allocate(4L * 3 * 8);
            MemorySegment out = arena.allocate(4L * 3 * 4);
            MemorySegment scratch = arena.allocate(mlp.scratchBytes(3));
            MemorySegment add = arena.allocate(4L * 3 * 4);
            GemmImpls.with(impl, () -> mlp.forward(x, 3, 8, add, 4, scratch, out, 4));
            rejected("forward: addend too small: 3 rows of 4 elements, ldAdd=4 need 48 bytes but addend.byteSize()=44",
                    () -> mlp.forward(x, 3, 8, add.asSlice(4), 4, scratch, out, 4));
            rejected("forward: addend too small: 3 rows of 4 elements, ldAdd=5 need 56 bytes but addend.byteSize()=48",
                    () -> mlp.forward(x, 3, 8, add, 5, scratch, out, 4));
            rejected("forward: ldAdd must be >= 4, the row width of addend (got 3)",
                    () -> mlp.forward(x, 3, 8, add, 3, scratch, out, 4));
            rejected("forward: x is null", () -> mlp.forward(null, 3, 8, add, 4, scratch, out, 4));
            rejected("forward: scratch is null", () -> mlp.forward(x, 3, 8, add, 4, null, out, 4));
            rejected("forward: out is null", () -> mlp.forward(x, 3, 8, add, 4, scratch, null, 4));
            rejected("forward: rows must be >= 0 (got -1)", () -> mlp.forward(x, -1, 8, add, 4, scratch, out, 4));
            MemorySegment heap = MemorySegment.ofArray(new float[12]);
            if (nat) {
                rejected("forward: addend must be a native (off-heap or mapped) segment, not a heap segment",
                        () -> mlp.forward(x, 3, 8, heap, 4, scratch, out, 4));
                rejected("forward: addend is the NULL segment",
                        () -> mlp.forward(x, 3, 8, MemorySegment.NULL, 4, scratch, out, 4));
            } else {
                mlp.forward(x, 3, 8, heap, 4, scratch, out, 4); // the Java model reads heap addends
            }
            MemorySegment dead;
            try (Arena closed = Arena.ofConfined()) {
                dead = closed.allocate(48);
            }
            rejected("forward: addend belongs to an arena that is already closed",
                    () -> mlp.forward(x, 3, 8, dead, 4, scratch, out, 4));
            mlp.forward(x, 0, 8, add.asSlice(0, 0), 4, scratch, out, 4); // no rows: nothing is read
            mlp.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, mlp::firstLayerWidth);
            assertEquals("firstLayerWidth: the model is closed", closed.getMessage());
            assertThrows(IllegalStateException.class, () -> mlp.forward(x, 3, 8, add, 4, scratch, out, 4));
        }
    }

    private static void rejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }
}

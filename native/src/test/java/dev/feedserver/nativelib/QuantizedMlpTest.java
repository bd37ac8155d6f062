package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.MlpFixtures.TREE_OUTPUTS;
import static dev.feedserver.nativelib.MlpFixtures.dense;
import static dev.feedserver.nativelib.MlpFixtures.input;
import static dev.feedserver.nativelib.MlpFixtures.reference;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** QuantizedMlp: accuracy against float64 within a derived bound, native == Java bit for bit, lifecycle. */
class QuantizedMlpTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static List<String> impls() {
        return GemmImpls.all();
    }

    static List<String> isas() {
        return Isas.supported();
    }

    private static QuantizedMlp create(String impl, List<Layer> layers, int... outputs) {
        return impl.equals(GemmImpls.JAVA) ? QuantizedMlp.createJava(layers, outputs)
                : QuantizedMlp.createNative(layers, outputs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void matchesFloat64WithinTheDerivedBound(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x31);
        List<Layer> layers = tree(rnd, Activation.RELU);
        int rows = 203; // 96 + 96 + 11: crosses the native row blocks
        GemmImpls.with(impl, () -> {
            try (Arena arena = Arena.ofConfined(); QuantizedMlp mlp = create(impl, layers, TREE_OUTPUTS)) {
                assertEquals(64, mlp.inDim());
                assertEquals(3 + 5 + 7 + 32, mlp.outDim());
                long ldx = 64 + 3;
                long ldo = mlp.outDim() + 2;
                MemorySegment x = input(arena, rnd, rows, 64, ldx, 4);
                MemorySegment scratch = arena.allocate(mlp.scratchBytes(rows) + 1).asSlice(1);
                MemorySegment out = arena.allocate(4L * ldo * rows + 2).asSlice(2);
                mlp.forward(x, rows, ldx, scratch, out, ldo);
                double worstRatio = 0;
                for (int r = 0; r < rows; r++) {
                    double[] xr = new double[64];
                    for (int k = 0; k < 64; k++) {
                        xr[k] = x.get(F32, 4L * (r * ldx + k));
                    }
                    Reference ref = reference(layers, xr, null);
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
                            if (bound > 0) {
                                worstRatio = Math.max(worstRatio, err / bound);
                            }
                        }
                    }
                }
                System.out.printf("QuantizedMlp %s: worst error / derived bound = %.3f%n", impl, worstRatio);
                assertTrue(worstRatio > 0, "the bound is never approached at all: suspicious");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void nativeEqualsJavaBitForBit(String isa) {
        SplittableRandom rnd = new SplittableRandom(0x77);
        for (Activation hidden : Activation.values()) {
            List<Layer> layers = tree(rnd, hidden);
            int rows = 100;
            try (Arena arena = Arena.ofConfined();
                 QuantizedMlp nat = QuantizedMlp.createNative(layers, TREE_OUTPUTS);
                 QuantizedMlp java = QuantizedMlp.createJava(layers, TREE_OUTPUTS)) {
                assertEquals(nat.weightBytes(), java.weightBytes());
                assertEquals(nat.outDim(), java.outDim());
                for (long maxRows : new long[] {0, 1, 5, 95, 96, 97, 1000}) {
                    assertEquals(((NativeQuantizedMlp) nat).nativeScratchBytes(maxRows), java.scratchBytes(maxRows));
                    assertEquals(java.scratchBytes(maxRows), nat.scratchBytes(maxRows));
                }
                MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
                MemorySegment scratch = arena.allocate(nat.scratchBytes(rows));
                MemorySegment a = arena.allocate(4L * rows * nat.outDim());
                MemorySegment b = arena.allocate(4L * rows * nat.outDim());
                Isas.with(isa, () -> nat.forward(x, rows, scratch, a));
                java.forward(x, rows, scratch, b);
                for (long i = 0; i < a.byteSize() / 4; i++) {
                    int got = Float.floatToRawIntBits(a.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                    int want = Float.floatToRawIntBits(b.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                    if (got != want) {
                        fail(isa + " " + hidden + ": output " + i + " native " + Float.intBitsToFloat(got) + " java "
                                + Float.intBitsToFloat(want));
                    }
                }
                // rows are independent: one row at a time gives the same bits
                MemorySegment one = arena.allocate(4L * nat.outDim());
                for (int r : new int[] {0, 6, 99}) {
                    Isas.with(isa, () -> nat.forward(x.asSlice(4L * 64 * r), 1, scratch, one));
                    assertEquals(MemorySegment.mismatch(one, 0, one.byteSize(), a, 4L * r * nat.outDim(),
                            4L * (r + 1) * nat.outDim()), -1L, isa + " row " + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void lifecycle(String impl) {
        SplittableRandom rnd = new SplittableRandom(2);
        QuantizedMlp mlp = create(impl, List.of(dense(rnd, 8, 4, Activation.RELU, -1, true)), 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(32);
            MemorySegment out = arena.allocate(16);
            MemorySegment scratch = arena.allocate(mlp.scratchBytes(1));
            mlp.forward(x, 1, scratch, out);
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> mlp.forward(x, 1, scratch.asSlice(0, 8), out));
            assertTrue(small.getMessage().startsWith("forward: scratch too small: 1 rows need "), small.getMessage());
            IllegalArgumentException shortX = assertThrows(IllegalArgumentException.class,
                    () -> mlp.forward(x.asSlice(4), 1, scratch, out));
            assertTrue(shortX.getMessage().startsWith("forward: x too small"), shortX.getMessage());
            mlp.close();
            mlp.close(); // idempotent
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> mlp.forward(x, 1, scratch, out));
            assertEquals("forward: the model is closed", closed.getMessage());
            assertThrows(IllegalStateException.class, () -> mlp.scratchBytes(1));
            assertThrows(IllegalStateException.class, mlp::inDim);
            assertThrows(IllegalStateException.class, mlp::weightBytes);
        }
    }

    @Test
    void nativeForwardNeedsNativeSegments() {
        SplittableRandom rnd = new SplittableRandom(3);
        try (Arena arena = Arena.ofConfined();
             QuantizedMlp mlp = QuantizedMlp.createNative(List.of(dense(rnd, 8, 4, Activation.NONE, -1, false)), 0)) {
            MemorySegment heap = MemorySegment.ofArray(new float[8]);
            MemorySegment scratch = arena.allocate(mlp.scratchBytes(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mlp.forward(heap, 1, scratch, arena.allocate(16)));
            assertEquals("forward: x must be a native (off-heap or mapped) segment, not a heap segment", e.getMessage());
            // the Java implementation takes heap segments
            try (QuantizedMlp java = QuantizedMlp.createJava(List.of(dense(rnd, 8, 4, Activation.NONE, -1, false)), 0)) {
                java.forward(heap, 1, MemorySegment.ofArray(new byte[(int) java.scratchBytes(1)]),
                        MemorySegment.ofArray(new float[4]));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void concurrentForwardsWithDistinctScratchAgree(String impl) throws Exception {
        SplittableRandom rnd = new SplittableRandom(4);
        List<Layer> layers = tree(rnd, Activation.GELU);
        int rows = 150;
        try (Arena arena = Arena.ofShared(); QuantizedMlp mlp = create(impl, layers, TREE_OUTPUTS);
             ExecutorService pool = Executors.newFixedThreadPool(3)) {
            MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
            MemorySegment expected = arena.allocate(4L * rows * mlp.outDim());
            GemmImpls.with(impl, () -> mlp.forward(x, rows, arena.allocate(mlp.scratchBytes(rows)), expected));
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                futures.add(pool.submit(() -> {
                    try (Arena local = Arena.ofConfined()) {
                        MemorySegment scratch = local.allocate(mlp.scratchBytes(rows));
                        MemorySegment out = local.allocate(expected.byteSize());
                        for (int iter = 0; iter < (impl.equals(GemmImpls.JAVA) ? 3 : 30); iter++) {
                            mlp.forward(x, rows, scratch, out);
                            assertEquals(-1L, out.mismatch(expected));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void closeWhileForwardsAreInFlight(String impl) throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        QuantizedMlp mlp = create(impl, tree(rnd, Activation.RELU), TREE_OUTPUTS);
        int rows = 40;
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            MemorySegment x = input(arena, rnd, rows, 64, 64, 0);
            AtomicBoolean sawClosed = new AtomicBoolean();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    try (Arena local = Arena.ofConfined()) {
                        MemorySegment scratch = local.allocate(1 << 20);
                        MemorySegment out = local.allocate(4L * rows * 47);
                        for (;;) {
                            try {
                                mlp.forward(x, rows, scratch, out);
                            } catch (IllegalStateException e) {
                                sawClosed.set(true);
                                return null;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(50);
            mlp.close();
            for (Future<?> f : futures) {
                f.get();
            }
            assertTrue(sawClosed.get());
        }
    }

    @Test
    void invalidSpecsAreRejectedWithTheProblemNamed() {
        SplittableRandom rnd = new SplittableRandom(6);
        Layer a = dense(rnd, 8, 4, Activation.RELU, -1, true);
        assertRejected("create: layer 1: in=5 but its input, layer 0, has out=4",
                List.of(a, dense(rnd, 5, 2, Activation.NONE, 0, false)), 1);
        assertRejected("create: layer 1: in=9 but the model input width is 8 (set by layer 0)",
                List.of(a, dense(rnd, 9, 2, Activation.NONE, -1, false)), 1);
        assertRejected("create: layer 1: input_layer must be -1 (the model input) or an earlier layer 0..0 (got 1)",
                List.of(a, dense(rnd, 4, 2, Activation.NONE, 1, false)), 1);
        assertRejected("create: output_layers[0] must be a layer index 0..0 (got 3)", List.of(a), 3);
        float[] w = a.weights().clone();
        w[5] = Float.NaN;
        assertRejected("create: layer 0: weights[5] is not finite",
                List.of(new Layer(8, 4, w, null, Activation.NONE, -1)), 0);
        assertRejected("create: layer 0: weights has 31 floats but in x out = 32",
                List.of(new Layer(8, 4, new float[31], null, Activation.NONE, -1)), 0);
        assertRejected("create: at least one output layer is required", List.of(a));
    }

    private static void assertRejected(String message, List<Layer> layers, int... outputs) {
        for (String impl : List.of("native", GemmImpls.JAVA)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> create(impl, layers, outputs).close());
            assertEquals(message, e.getMessage(), impl);
        }
    }
}

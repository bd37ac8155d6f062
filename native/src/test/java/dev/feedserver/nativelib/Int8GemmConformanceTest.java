package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.Int8Gemm.Epilogue;
import dev.feedserver.nativelib.Int8Gemm.Output;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * int8 GEMM on every native kernel path and the Java fallback against {@link GemmReference}:
 * every output (S32, and F32/S8/U8 through the float epilogue) must be bit-identical.
 */
class Int8GemmConformanceTest {

    /** Crosses every micro-tile edge: 6-row strips, 16-column blocks, 4-k groups, 256-k slices, 48-row and 128-column C tiles. */
    private static final int[] DIMS = {1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257};
    private static final int[] ZERO_POINTS = {0, 128, 255, 1, 77};

    static List<String> impls() {
        return GemmImpls.all();
    }

    /** One GEMM problem with its inputs (dense copies kept for the reference). */
    private record Problem(int m, int n, int k, boolean signed, int zp, byte[] a, byte[] w, float[] rowScale,
                           float[] colScale, float[] bias) {}

    private static Problem random(SplittableRandom rnd, int m, int n, int k, boolean signed, int zp) {
        byte[] a = new byte[m * k];
        byte[] w = new byte[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) rnd.nextInt(256);
        }
        float[] rowScale = new float[m];
        float[] colScale = new float[n];
        float[] bias = new float[n];
        // magnitudes chosen so y spans the interesting range of every activation and of S8/U8 saturation
        float typical = 1f / (float) Math.sqrt(k * 128.0 * 128.0);
        for (int i = 0; i < m; i++) {
            rowScale[i] = (float) (typical * (0.25 + 4 * rnd.nextDouble()));
        }
        for (int j = 0; j < n; j++) {
            colScale[j] = (float) ((rnd.nextBoolean() ? 1 : -1) * (0.5 + 8 * rnd.nextDouble()));
            bias[j] = (float) (rnd.nextGaussian() * 2);
        }
        return new Problem(m, n, k, signed, zp, a, w, rowScale, colScale, bias);
    }

    private static MemorySegment floats(Arena arena, float[] values, int offsetBytes) {
        MemorySegment s = arena.allocate(values.length * 4L + offsetBytes).asSlice(offsetBytes);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
        return s;
    }

    /**
     * Runs p through impl with each epilogue (and the given strides/offsets) and compares every stored
     * element, plus the bytes around the output (nothing may be written outside the m x n cells).
     */
    private static void check(String impl, Problem p, List<Epilogue> shapes, int extraLda, int extraLdo, int offset) {
        Int8Gemm gemm = GemmImpls.gemm(impl);
        int[] acc = GemmReference.acc(p.a(), p.signed(), p.zp(), p.w(), p.m(), p.n(), p.k());
        try (Arena arena = Arena.ofConfined()) {
            long lda = p.k() + extraLda;
            MemorySegment a = arena.allocate(lda * p.m() + offset + 1).asSlice(offset);
            for (int i = 0; i < p.m(); i++) {
                MemorySegment.copy(p.a(), i * p.k(), a, ValueLayout.JAVA_BYTE, i * lda, p.k());
            }
            MemorySegment w = arena.allocate((long) p.n() * p.k());
            MemorySegment.copy(p.w(), 0, w, ValueLayout.JAVA_BYTE, 0, p.w().length);
            MemorySegment packed = arena.allocate(gemm.packedSize(p.n(), p.k()) + 3).asSlice(3); // odd address
            gemm.pack(w, p.n(), p.k(), p.k(), packed);
            MemorySegment rowScale = floats(arena, p.rowScale(), offset % 4);
            MemorySegment colScale = floats(arena, p.colScale(), 1);
            MemorySegment bias = floats(arena, p.bias(), 2);
            long ldo = p.n() + extraLdo;
            for (Epilogue shape : shapes) {
                boolean s32 = shape.output() == Output.S32;
                boolean useRow = !s32 && shape.rowScale() != null;
                boolean useBias = !s32 && shape.bias() != null;
                Epilogue ep = new Epilogue(useRow ? rowScale : null, s32 ? null : colScale, useBias ? bias : null,
                        shape.activation(), shape.output(), shape.outScale(), shape.outZeroPoint());
                int bytes = ep.output().bytes();
                long outBytes = ((p.m() - 1) * ldo + p.n()) * bytes;
                MemorySegment outBuf = arena.allocate(outBytes + 2L * 16 + offset);
                outBuf.fill((byte) 0x5A);
                MemorySegment out = outBuf.asSlice(16 + offset, outBytes);
                if (p.signed()) {
                    gemm.gemmS8S8(a, p.m(), p.k(), lda, packed, p.n(), ep, out, ldo);
                } else {
                    gemm.gemmU8S8(a, p.m(), p.k(), lda, p.zp(), packed, p.n(), ep, out, ldo);
                }
                for (int i = 0; i < p.m(); i++) {
                    for (int j = 0; j < p.n(); j++) {
                        int expected = GemmReference.output(acc[i * p.n() + j], i, j, useRow ? p.rowScale() : null,
                                p.colScale(), useBias ? p.bias() : null, ep);
                        int actual = GemmReference.read(out, i, j, ldo, ep.output());
                        if (!GemmReference.same(expected, actual, ep.output())) {
                            fail(impl + " m=" + p.m() + " n=" + p.n() + " k=" + p.k() + (p.signed() ? " s8" : " u8 zp=" + p.zp())
                                    + " " + ep.output() + "/" + ep.activation() + " row=" + useRow + " bias=" + useBias
                                    + " lda=" + lda + " ldo=" + ldo + " offset=" + offset + ": at (" + i + "," + j
                                    + ") expected " + expected + " got " + actual + " (acc " + acc[i * p.n() + j] + ")");
                        }
                    }
                    // gaps between rows (ldo > n) untouched
                    if (i + 1 < p.m()) {
                        for (long j = p.n(); j < ldo; j++) {
                            for (int b = 0; b < bytes; b++) {
                                assertEquals((byte) 0x5A, out.get(ValueLayout.JAVA_BYTE, (i * ldo + j) * bytes + b),
                                        impl + ": wrote into the row gap");
                            }
                        }
                    }
                }
                for (long b = 0; b < 16 + offset; b++) {
                    assertEquals((byte) 0x5A, outBuf.get(ValueLayout.JAVA_BYTE, b), impl + ": wrote before out");
                }
                for (long b = 16 + offset + outBytes; b < outBuf.byteSize(); b++) {
                    assertEquals((byte) 0x5A, outBuf.get(ValueLayout.JAVA_BYTE, b), impl + ": wrote past out");
                }
            }
        }
    }

    private static final List<Epilogue> ALL_EPILOGUES = allEpilogues();

    private static List<Epilogue> allEpilogues() {
        MemorySegment marker = MemorySegment.ofArray(new byte[0]); // non-null: "use the problem's row scale / bias"
        List<Epilogue> list = new ArrayList<>();
        list.add(Epilogue.s32());
        for (Activation act : Activation.values()) {
            for (int variant = 0; variant < 4; variant++) {
                MemorySegment row = (variant & 1) != 0 ? marker : null;
                MemorySegment bias = (variant & 2) != 0 ? marker : null;
                list.add(Epilogue.f32(row, marker, bias, act));
                list.add(Epilogue.s8(row, marker, bias, act, 0.037f, variant * 9 - 13));
                list.add(Epilogue.u8(row, marker, bias, act, 0.021f, variant * 40 + 7));
            }
        }
        return list;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void shapesAcrossEveryBlockEdge(String impl) {
        SplittableRandom rnd = new SplittableRandom(0x6E77);
        GemmImpls.with(impl, () -> {
            for (int i = 0; i < DIMS.length; i++) {
                for (int rot = 0; rot < 3; rot++) {
                    int m = DIMS[i];
                    int n = DIMS[(i * 7 + 3 + rot * 5) % DIMS.length];
                    int k = DIMS[(i * 5 + 1 + rot * 3) % DIMS.length];
                    boolean signed = (i + rot) % 2 == 1;
                    int zp = ZERO_POINTS[(i + rot) % ZERO_POINTS.length];
                    Problem p = random(rnd, m, n, k, signed, zp);
                    // S32 plus one rotating float/requantized epilogue per problem
                    List<Epilogue> eps = List.of(Epilogue.s32(), ALL_EPILOGUES.get(1 + (i * 3 + rot) % (ALL_EPILOGUES.size() - 1)));
                    check(impl, p, eps, (i + rot) % 3 == 0 ? 0 : 1 + rot, (i % 2) * (rot + 1), (i * 5 + rot) % 64);
                }
            }
            // every permutation of (m, n, k) from the largest block-edge sizes
            int[][] big = {{257, 257, 257}, {100, 65, 1000}, {7, 33, 4700}, {96, 130, 513}, {49, 129, 255}};
            for (int[] s : big) {
                check(impl, random(rnd, s[0], s[1], s[2], false, 128), List.of(Epilogue.s32()), 3, 5, 7);
                check(impl, random(rnd, s[0], s[1], s[2], true, 0), List.of(Epilogue.s32()), 0, 0, 0);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void everyEpilogueVariant(String impl) {
        SplittableRandom rnd = new SplittableRandom(0xE9);
        GemmImpls.with(impl, () -> {
            check(impl, random(rnd, 19, 37, 71, false, 131), ALL_EPILOGUES, 1, 2, 5);
            check(impl, random(rnd, 13, 70, 66, true, 0), ALL_EPILOGUES, 0, 0, 1);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void extremeValues(String impl) {
        GemmImpls.with(impl, () -> {
            int m = 9;
            int n = 21;
            int k = 67;
            byte[][] aFills = {{(byte) 255}, {0}, {(byte) 128}, {127}, {(byte) 255, 0}, {(byte) 128, 127}};
            byte[][] wFills = {{-128}, {127}, {-128, 127}, {0}};
            SplittableRandom rnd = new SplittableRandom(1);
            for (byte[] af : aFills) {
                for (byte[] wf : wFills) {
                    for (int zp : new int[] {0, 128, 255}) {
                        Problem base = random(rnd, m, n, k, false, zp);
                        fill(base.a(), af);
                        fill(base.w(), wf);
                        check(impl, base, List.of(Epilogue.s32(), ALL_EPILOGUES.get(7)), 1, 0, 3);
                        Problem signed = new Problem(m, n, k, true, 0, base.a(), base.w(), base.rowScale(),
                                base.colScale(), base.bias());
                        check(impl, signed, List.of(Epilogue.s32(), ALL_EPILOGUES.get(11)), 0, 1, 2);
                    }
                }
            }
        });
    }

    private static void fill(byte[] target, byte[] pattern) {
        for (int i = 0; i < target.length; i++) {
            target[i] = pattern[i % pattern.length];
        }
    }

    /**
     * The int32 bound: |(a - zp) * w| <= 255 * 128 = 32640 for uint8 activations, so sums are
     * exact for k <= 65793 (65793 * 32640 = 2^31 - 128); int8 activations: 128 * 128 = 16384,
     * exact for k <= 131071. Beyond that every path wraps modulo 2^32 (as Java int does).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void sumsNearTheInt32Limit(String impl) {
        GemmImpls.with(impl, () -> {
            record Case(int k, boolean signed, int aValue, int zp, int wValue, long exact) {}
            List<Case> cases = List.of(
                    new Case(65_793, false, 255, 0, -128, -65_793L * 32_640),   // -(2^31 - 128): fits
                    new Case(65_793, false, 0, 255, -128, 65_793L * 32_640),    // +(2^31 - 128): fits
                    new Case(65_794, false, 0, 255, -128, 65_794L * 32_640),    // 2^31 + 32512: wraps
                    new Case(131_071, true, -128, 0, -128, 131_071L * 16_384),  // 2^31 - 16384: fits
                    new Case(131_072, true, -128, 0, -128, 131_072L * 16_384),  // 2^31: wraps to -2^31
                    new Case(131_071, true, -128, 0, 127, -131_071L * 16_256)); // fits
            Int8Gemm gemm = GemmImpls.gemm(impl);
            for (Case c : cases) {
                int m = 2;
                int n = 3;
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment a = arena.allocate((long) m * c.k() + 1).asSlice(1);
                    a.fill((byte) c.aValue());
                    MemorySegment w = arena.allocate((long) n * c.k());
                    w.fill((byte) c.wValue());
                    MemorySegment packed = arena.allocate(gemm.packedSize(n, c.k()));
                    gemm.pack(w, n, c.k(), c.k(), packed);
                    MemorySegment out = arena.allocate((long) m * n * 4);
                    if (c.signed()) {
                        gemm.gemmS8S8(a, m, c.k(), c.k(), packed, n, Epilogue.s32(), out, n);
                    } else {
                        gemm.gemmU8S8(a, m, c.k(), c.k(), c.zp(), packed, n, Epilogue.s32(), out, n);
                    }
                    for (int i = 0; i < m * n; i++) {
                        assertEquals((int) c.exact(), out.getAtIndex(ValueLayout.JAVA_INT, i), impl + " " + c);
                    }
                    if (Math.abs(c.exact()) < (1L << 31)) {
                        assertEquals(c.exact(), (long) out.getAtIndex(ValueLayout.JAVA_INT, 0), impl + " exact " + c);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void nativeAndJavaPackingAgreeByteForByte(String impl) {
        SplittableRandom rnd = new SplittableRandom(9);
        GemmImpls.with(impl, () -> {
            for (int[] s : new int[][] {{1, 1}, {17, 5}, {33, 130}, {100, 257}}) {
                int n = s[0];
                int k = s[1];
                try (Arena arena = Arena.ofConfined()) {
                    long ld = k + 3;
                    MemorySegment w = arena.allocate(ld * n);
                    for (long i = 0; i < w.byteSize(); i++) {
                        w.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
                    }
                    long size = GemmImpls.gemm(impl).packedSize(n, k);
                    assertEquals(JavaInt8Gemm.INSTANCE.packedSize(n, k), size);
                    MemorySegment mine = arena.allocate(size);
                    MemorySegment java = arena.allocate(size);
                    GemmImpls.gemm(impl).pack(w, n, k, ld, mine);
                    JavaInt8Gemm.INSTANCE.pack(w, n, k, ld, java);
                    assertArrayEquals(java.toArray(ValueLayout.JAVA_BYTE), mine.toArray(ValueLayout.JAVA_BYTE), impl);
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void zeroRowsWritesNothing(String impl) {
        Int8Gemm gemm = GemmImpls.gemm(impl);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(12);
            MemorySegment packed = arena.allocate(gemm.packedSize(3, 4));
            gemm.pack(w, 3, 4, 4, packed);
            MemorySegment a = arena.allocate(1);
            MemorySegment out = arena.allocate(1);
            gemm.gemmU8S8(a, 0, 4, 4, 0, packed, 3, Epilogue.s32(), out, 3);
            assertEquals(0, out.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    /** The epilogue's exp approximation stays within a few float ulps of the exact activations. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void activationsAreAccurate(String impl) {
        GemmImpls.with(impl, () -> {
            int n = 4001;
            float[] ys = new float[n];
            for (int j = 0; j < n; j++) {
                ys[j] = (j - 2000) / 100f; // -20 .. 20
            }
            Int8Gemm gemm = GemmImpls.gemm(impl);
            try (Arena arena = Arena.ofConfined()) {
                // acc = 1 * 1 * k=1 -> y = colScale[j]: one column per test value
                MemorySegment w = arena.allocate(n);
                w.fill((byte) 1);
                MemorySegment packed = arena.allocate(gemm.packedSize(n, 1));
                gemm.pack(w, n, 1, 1, packed);
                MemorySegment a = arena.allocate(1);
                a.fill((byte) 1);
                MemorySegment colScale = arena.allocateFrom(ValueLayout.JAVA_FLOAT, ys);
                MemorySegment out = arena.allocate(4L * n);
                for (Activation act : List.of(Activation.SILU, Activation.GELU)) {
                    gemm.gemmS8S8(a, 1, 1, 1, packed, n, Epilogue.f32(null, colScale, null, act), out, n);
                    double worst = 0;
                    for (int j = 0; j < n; j++) {
                        double y = ys[j];
                        double exact = act == Activation.SILU ? y / (1 + Math.exp(-y))
                                : 0.5 * y * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (y + 0.044715 * y * y * y)));
                        double got = out.getAtIndex(ValueLayout.JAVA_FLOAT, j);
                        double err = Math.abs(got - exact) / Math.max(Math.abs(exact), 1e-6);
                        worst = Math.max(worst, err);
                        // relative error of a few ulps, or absolute 1e-9 where the result underflows toward 0
                        assertTrue(Math.abs(got - exact) <= 4e-6 * Math.abs(exact) + 1e-9,
                                impl + " " + act + "(" + y + ") = " + got + ", exact " + exact);
                    }
                    assertTrue(worst < 1e-3, act + " worst relative error " + worst);
                }
            }
        });
    }
}

package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The float reference GEMM on every path against a float64 reference, within float rounding. */
class GemmF32Test {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static List<String> impls() {
        return GemmImpls.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void matchesFloat64(String impl) {
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 6, 16}, {5, 7, 17}, {13, 9, 1025}, {65, 33, 100}, {2, 1, 3000}};
        GemmImpls.with(impl, () -> {
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                try (Arena arena = Arena.ofConfined()) {
                    long lda = k + 1;
                    long ldw = k + 2;
                    long ldo = n + 3;
                    MemorySegment a = arena.allocate(4 * lda * m + 1).asSlice(1);
                    MemorySegment w = arena.allocate(4 * ldw * n + 2).asSlice(2);
                    MemorySegment bias = arena.allocate(4L * n);
                    MemorySegment out = arena.allocate(4 * ldo * m + 3).asSlice(3);
                    for (long i = 0; i < lda * m; i++) {
                        a.setAtIndex(F32, i, (float) rnd.nextGaussian());
                    }
                    for (long i = 0; i < ldw * n; i++) {
                        w.setAtIndex(F32, i, (float) rnd.nextGaussian());
                    }
                    for (int j = 0; j < n; j++) {
                        bias.setAtIndex(F32, j, (float) rnd.nextGaussian());
                    }
                    for (Activation act : Activation.values()) {
                        MemorySegment b = act == Activation.SILU ? null : bias;
                        GemmImpls.gemm(impl).gemmF32(a, m, k, lda, w, n, ldw, b, act, out, ldo);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double z = b == null ? 0 : bias.getAtIndex(F32, j);
                                double mag = Math.abs(z);
                                for (int kk = 0; kk < k; kk++) {
                                    double p = (double) a.getAtIndex(F32, i * lda + kk) * w.getAtIndex(F32, j * ldw + kk);
                                    z += p;
                                    mag += Math.abs(p);
                                }
                                double expected = switch (act) {
                                    case NONE -> z;
                                    case RELU -> Math.max(z, 0);
                                    case SILU -> z / (1 + Math.exp(-z));
                                    case GELU -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
                                };
                                // summation in float: |error| <= (k + 1) * 2^-24 * sum|terms| (+ the activation's
                                // slope (< 1.13) and its own few-ulp evaluation error)
                                double bound = 1.13 * (k + 2) * 0x1p-24 * mag + 1e-5 * Math.abs(expected) + 1e-30;
                                double got = out.getAtIndex(F32, i * ldo + j);
                                if (!(Math.abs(got - expected) <= bound)) {
                                    fail(impl + " " + act + " m=" + m + " n=" + n + " k=" + k + " (" + i + "," + j
                                            + "): got " + got + " expected " + expected + " bound " + bound);
                                }
                            }
                        }
                    }
                    assertEquals(F32.byteSize(), 4);
                }
            }
        });
    }
}

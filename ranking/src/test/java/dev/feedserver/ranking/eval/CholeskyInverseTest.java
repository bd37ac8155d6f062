package dev.feedserver.ranking.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Int8Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CholeskyInverseTest {

    @Test
    void matchesGaussJordanAroundBlockBoundariesOnBothKernels() {
        for (Int8Gemm gemm : new Int8Gemm[] {Int8Gemm.get(), Int8Gemm.pureJava()}) {
            int block = 16;
            for (int n : new int[] {1, 2, 15, 16, 17, 31, 32, 33, 70}) {
                assertInverse(n, block, gemm, 100 + n);
            }
            assertInverse(300, CholeskyInverse.DEFAULT_BLOCK, gemm, 7); // one partial block of the default size
        }
        assertInverse(600, CholeskyInverse.DEFAULT_BLOCK, Int8Gemm.get(), 8); // three blocks, the last partial
    }

    @Test
    void rejectsMatrixThatIsNotPositiveDefinite() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(3 * 3 * Float.BYTES);
            float[] values = {1, 2, 0, 2, 1, 0, 0, 0, 1}; // eigenvalues 3, -1, 1
            MemorySegment.copy(values, 0, m, ValueLayout.JAVA_FLOAT, 0, 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CholeskyInverse.invert(m, 3, 2, Int8Gemm.get(), done -> { }));
            assertTrue(e.getMessage().contains("not positive definite: pivot of row 1"), e.getMessage());
        }
    }

    @Test
    void rejectsMatrixOnlyItsOwnerThreadCanRead() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(Float.BYTES);
            m.set(ValueLayout.JAVA_FLOAT, 0, 2f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CholeskyInverse.invert(m, 1, done -> { }));
            assertTrue(e.getMessage().contains("shared or global arena"), e.getMessage());
        }
    }

    private static void assertInverse(int n, int block, Int8Gemm gemm, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int k = n + 5;
        double[][] factor = new double[n][k];
        for (double[] row : factor) {
            for (int c = 0; c < k; c++) {
                row[c] = random.nextDouble() < 0.3 ? 1 : 0; // binary, like interaction data
            }
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 2.0 : 0;
                for (int c = 0; c < k; c++) {
                    s += factor[i][c] * factor[j][c];
                }
                gram[i][j] = s;
            }
        }
        double[][] expected = GaussJordan.inverse(gram);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate((long) n * n * Float.BYTES);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    // Only the lower triangle is read: poison the upper one.
                    float value = j <= i ? (float) gram[i][j] : Float.NaN;
                    m.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j, value);
                }
            }
            AtomicLong last = new AtomicLong();
            CholeskyInverse.invert(m, n, block, gemm, last::set);
            assertEquals(CholeskyInverse.work(n, block), last.get(), "progress ends at the announced work");
            double scale = 0;
            for (double[] row : expected) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float actual = m.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j);
                    assertEquals(expected[i][j], actual, 2e-4 * scale, "n = " + n + ", block = " + block + ", (" + i + ", " + j + ")");
                }
            }
        }
    }
}

package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same suite against the native kernels and the pure-Java fallback. */
class VectorKernelsTest {

    static Stream<VectorKernels> implementations() {
        return Stream.of(NativeVectorKernels.INSTANCE, JavaVectorKernels.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void topKF32MatchesASortReferenceWithTiesAndNaN(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            for (int trial = 0; trial < 200; trial++) {
                int n = random.nextInt(300);
                int k = 1 + random.nextInt(40);
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(10) == 0 ? Float.NaN : random.nextInt(25) - 12; // many ties
                }
                MemorySegment scores = arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
                MemorySegment index = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, k));
                MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, k));
                int count = kernels.topKF32(scores, n, k, index, out);
                int[] expected = IntStream.range(0, n).filter(i -> !Float.isNaN(values[i])).boxed()
                        .sorted(Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i))
                        .limit(k).mapToInt(Integer::intValue).toArray();
                assertEquals(expected.length, count);
                for (int i = 0; i < count; i++) {
                    assertEquals(expected[i], index.getAtIndex(ValueLayout.JAVA_INT, i));
                    assertEquals(values[expected[i]], out.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void topKS32KeepsExtremes(VectorKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            int[] values = {Integer.MIN_VALUE, 5, Integer.MAX_VALUE, 5, -1, Integer.MAX_VALUE};
            MemorySegment scores = arena.allocateFrom(ValueLayout.JAVA_INT, values);
            MemorySegment index = arena.allocate(ValueLayout.JAVA_INT, 4);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT, 4);
            assertEquals(4, kernels.topKS32(scores, values.length, 4, index, out));
            assertArrayEquals(new int[] {2, 5, 1, 3}, index.toArray(ValueLayout.JAVA_INT));
            assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 5, 5}, out.toArray(ValueLayout.JAVA_INT));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void l2NormalizeGivesUnitRowsAndLeavesZeroRows(VectorKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            int dim = 7;
            int stride = 9;
            MemorySegment rows = arena.allocate(ValueLayout.JAVA_FLOAT, 3L * stride);
            for (int k = 0; k < dim; k++) {
                rows.setAtIndex(ValueLayout.JAVA_FLOAT, k, k + 1);
                rows.setAtIndex(ValueLayout.JAVA_FLOAT, 2L * stride + k, -3e-20f * (k + 1));
            }
            rows.setAtIndex(ValueLayout.JAVA_FLOAT, dim, 42f); // padding between rows is untouched
            kernels.l2Normalize(rows, 3, stride, dim);
            for (int r : new int[] {0, 2}) {
                double norm = 0;
                for (int k = 0; k < dim; k++) {
                    float v = rows.getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * stride + k);
                    norm += v * v;
                }
                assertEquals(1.0, norm, 1e-5, "row " + r);
            }
            for (int k = 0; k < dim; k++) {
                assertEquals(0f, rows.getAtIndex(ValueLayout.JAVA_FLOAT, stride + k));
            }
            assertEquals(42f, rows.getAtIndex(ValueLayout.JAVA_FLOAT, dim));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void badArgumentsAreNamed(VectorKernels kernels) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels.topKF32(small, 10, 3, small, small));
            assertEquals(true, e.getMessage().contains("scores too small"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> kernels.topKF32(small, 2, 0, small, small));
            assertThrows(IllegalArgumentException.class, () -> kernels.l2Normalize(small, 1, 1, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void dotProductsAgreeWithTheOtherImplementation(VectorKernels kernels) {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 37;
        int dim = 131;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * dim);
            MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, dim);
            MemorySegment b = arena.allocate((long) rows * dim);
            MemorySegment qb = arena.allocate(dim);
            for (long i = 0; i < (long) rows * dim; i++) {
                f.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
                b.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
            }
            for (int k = 0; k < dim; k++) {
                q.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) random.nextGaussian());
                qb.set(ValueLayout.JAVA_BYTE, k, (byte) random.nextInt(256));
            }
            MemorySegment mine = arena.allocate(ValueLayout.JAVA_FLOAT, rows);
            MemorySegment other = arena.allocate(ValueLayout.JAVA_FLOAT, rows);
            VectorKernels reference = kernels == JavaVectorKernels.INSTANCE ? NativeVectorKernels.INSTANCE : JavaVectorKernels.INSTANCE;
            kernels.dotF32Batch(f, rows, dim, q, dim, mine);
            reference.dotF32Batch(f, rows, dim, q, dim, other);
            for (int r = 0; r < rows; r++) {
                assertEquals(other.getAtIndex(ValueLayout.JAVA_FLOAT, r), mine.getAtIndex(ValueLayout.JAVA_FLOAT, r), 1e-3f);
            }
            MemorySegment mineInt = arena.allocate(ValueLayout.JAVA_INT, rows);
            MemorySegment otherInt = arena.allocate(ValueLayout.JAVA_INT, rows);
            kernels.dotS8Batch(b, rows, dim, qb, dim, mineInt);
            reference.dotS8Batch(b, rows, dim, qb, dim, otherInt);
            assertArrayEquals(otherInt.toArray(ValueLayout.JAVA_INT), mineInt.toArray(ValueLayout.JAVA_INT));
        }
    }
}

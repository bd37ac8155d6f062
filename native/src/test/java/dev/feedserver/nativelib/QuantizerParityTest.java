package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.F32;
import static dev.feedserver.nativelib.FormatBackends.I32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Native and Java quantizers agree bit for bit on random data, and percentiles match a
 * sort-based nearest-rank reference.
 */
class QuantizerParityTest {

    private static final int N = 200_003;

    private static MemorySegment randomFloats(Arena arena, int n, SplittableRandom random) {
        MemorySegment s = arena.allocate(n * 4L + 3).asSlice(3);
        for (int i = 0; i < n; i++) {
            float v = switch (random.nextInt(8)) {
                case 0 -> Float.intBitsToFloat(random.nextInt());          // anything, NaN included
                case 1 -> (float) random.nextInt(-300, 300) / 2;           // exact ties after / 0.5
                case 2 -> random.nextInt(4) == 0 ? -0f : 0f;
                default -> (float) random.nextGaussian() * 40;
            };
            s.setAtIndex(F32, i, v);
        }
        return s;
    }

    @Test
    void quantizeAndDequantize() {
        SplittableRandom random = new SplittableRandom(0x5EEDL);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = randomFloats(arena, N, random);
            MemorySegment a = arena.allocate(N * 4L);
            MemorySegment b = arena.allocate(N * 4L);
            for (float scale : new float[] {0.5f, 0.3f, 1e-3f, 7.25f, Float.MIN_VALUE, Float.MAX_VALUE}) {
                NativeQuantizer.INSTANCE.quantizeS8(in, N, scale, a);
                JavaQuantizer.INSTANCE.quantizeS8(in, N, scale, b);
                assertEquals(-1, a.asSlice(0, N).mismatch(b.asSlice(0, N)), "quantizeS8 scale=" + scale);
                for (int zp : new int[] {0, 3, 128, 255}) {
                    NativeQuantizer.INSTANCE.quantizeU8(in, N, scale, zp, a);
                    JavaQuantizer.INSTANCE.quantizeU8(in, N, scale, zp, b);
                    assertEquals(-1, a.asSlice(0, N).mismatch(b.asSlice(0, N)), "quantizeU8 scale=" + scale + " zp=" + zp);
                }
                MemorySegment bytes = in.asSlice(0, N); // random bytes as int8 input
                NativeQuantizer.INSTANCE.dequantizeS8(bytes, N, scale, a);
                JavaQuantizer.INSTANCE.dequantizeS8(bytes, N, scale, b);
                assertEquals(-1, a.mismatch(b), "dequantizeS8 scale=" + scale);
            }
        }
    }

    @Test
    void quantizeRows() {
        SplittableRandom random = new SplittableRandom(0x7077L);
        try (Arena arena = Arena.ofConfined()) {
            int rows = 300;
            int cols = 97;
            int ld = 101;
            MemorySegment in = arena.allocate((long) rows * ld * 4);
            for (int r = 0; r < rows; r++) {
                float magnitude = (float) Math.pow(10, random.nextInt(-40, 38));
                for (int c = 0; c < ld; c++) {
                    float v = r % 17 == 0 ? 0f : (float) random.nextGaussian() * magnitude;
                    in.setAtIndex(F32, (long) r * ld + c, c < cols ? v : Float.NaN); // padding is never read
                }
            }
            MemorySegment scalesA = arena.allocate(rows * 4L);
            MemorySegment scalesB = arena.allocate(rows * 4L);
            MemorySegment outA = arena.allocate((long) rows * cols);
            MemorySegment outB = arena.allocate((long) rows * cols);
            NativeQuantizer.INSTANCE.quantizeS8Rows(in, rows, cols, ld, scalesA, outA);
            JavaQuantizer.INSTANCE.quantizeS8Rows(in, rows, cols, ld, scalesB, outB);
            assertEquals(-1, scalesA.mismatch(scalesB), "scales");
            assertEquals(-1, outA.mismatch(outB), "values");
        }
    }

    @Test
    void minMaxAndPercentiles() {
        SplittableRandom random = new SplittableRandom(0x9E7CL);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {1, 2, 3, 10, 1000, N}) {
                MemorySegment in = randomFloats(arena, n, random);
                MemorySegment before = arena.allocate(n * 4L);
                before.copyFrom(in);
                MemorySegment scratch = arena.allocate(n * 4L);
                assertEquals(NativeQuantizer.INSTANCE.minMax(in, n), JavaQuantizer.INSTANCE.minMax(in, n), "n=" + n);
                float[] sortedAbs = sortedAbsNonNaN(in, n);
                for (double p : new double[] {1e-6, 1, 25, 50, 90, 99, 99.9, 99.99, 100, random.nextDouble(0.001, 100)}) {
                    int rank = (int) Math.min(Math.max(Math.ceil(p * sortedAbs.length / 100.0), 1), sortedAbs.length);
                    float expected = sortedAbs[rank - 1];
                    assertEquals(expected, NativeQuantizer.INSTANCE.absPercentile(in, n, p, scratch), "native n=" + n + " p=" + p);
                    assertEquals(expected, JavaQuantizer.INSTANCE.absPercentile(in, n, p, scratch), "java n=" + n + " p=" + p);
                }
                assertEquals(-1, in.mismatch(before), "input untouched");
            }
        }
    }

    @Test
    void percentileOfManyEqualValues() {
        try (Arena arena = Arena.ofConfined()) {
            int n = 10_000;
            MemorySegment in = arena.allocate(n * 4L);
            for (int i = 0; i < n; i++) {
                in.setAtIndex(F32, i, i < 9_000 ? 1f : -2f);
            }
            MemorySegment scratch = arena.allocate(n * 4L);
            for (Quantizer q : FormatBackends.quantizers()) {
                assertEquals(1f, q.absPercentile(in, n, 90, scratch), q.toString());
                assertEquals(2f, q.absPercentile(in, n, 90.01, scratch), q.toString());
            }
        }
    }

    private static float[] sortedAbsNonNaN(MemorySegment in, int n) {
        float[] values = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            float v = Math.abs(Float.intBitsToFloat(in.getAtIndex(I32, i)));
            if (!Float.isNaN(v)) {
                values[m++] = v;
            }
        }
        float[] result = Arrays.copyOf(values, m);
        Arrays.sort(result);
        return result;
    }
}

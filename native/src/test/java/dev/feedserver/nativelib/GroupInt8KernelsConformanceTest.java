package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fn_matvec_q8 on every supported ISA against a plain Java loop (exact int32 group sums, then the
 * scalar order of float operations per row): the float result must be bit-identical. Row counts cross the 8- and 16-row blocks, group sizes
 * the 32-byte chunk, and operands start at unaligned addresses.
 */
class GroupInt8KernelsConformanceTest {

    private static final int[] ROWS = {1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 47, 64, 65, 172};
    private static final int[] GROUPS = {1, 2, 3, 6};
    private static final int[] GROUP_SIZES = {32, 64, 96};

    static List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void randomOperandsMatchTheScalarLoopExactly(String isa) {
        SplittableRandom random = new SplittableRandom(0x6C6CL);
        Isas.with(isa, () -> {
            for (int rows : ROWS) {
                for (int groups : GROUPS) {
                    for (int groupSize : GROUP_SIZES) {
                        check(isa, rows, groups, groupSize, 1 + random.nextInt(3), random, false);
                    }
                }
            }
            check(isa, 20, 2, 1024, 0, random, false);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void extremeValuesAreExact(String isa) {
        SplittableRandom random = new SplittableRandom(7);
        Isas.with(isa, () -> {
            for (int rows : new int[] {8, 16, 19}) {
                check(isa, rows, 3, 1024, 1, random, true);
                check(isa, rows, 2, 32, 0, random, true);
            }
        });
    }

    @Test
    void minusOneHundredTwentyEightIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(32);
            MemorySegment x = arena.allocate(32);
            MemorySegment scales = arena.allocate(4);
            MemorySegment out = arena.allocate(4);
            x.set(ValueLayout.JAVA_BYTE, 5, (byte) -128);
            NativeException e = assertThrows(NativeException.class,
                    () -> GroupInt8Kernels.matvecQ8(w, scales, 1, 1, 32, x, scales, out));
            assertTrue(e.getMessage().contains("x[5] is -128"), e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> GroupInt8Kernels.matvecQ8(w, scales, 1, 1, 16, x, scales, out));
            assertTrue(bad.getMessage().contains("groupSize"), bad.getMessage());
        }
    }

    private static void check(String isa, int rows, int groups, int groupSize, int offset, SplittableRandom random,
                              boolean extremes) {
        int k = groups * groupSize;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate((long) rows * k + offset).asSlice(offset);
            MemorySegment x = arena.allocate(k + offset).asSlice(offset);
            MemorySegment ws = arena.allocate((long) rows * groups * 4 + offset).asSlice(offset);
            MemorySegment xs = arena.allocate(groups * 4L + offset).asSlice(offset);
            MemorySegment out = arena.allocate(rows * 4L + offset).asSlice(offset);
            for (long i = 0; i < w.byteSize(); i++) {
                w.set(ValueLayout.JAVA_BYTE, i, value(random, extremes));
            }
            for (long i = 0; i < x.byteSize(); i++) {
                x.set(ValueLayout.JAVA_BYTE, i, value(random, extremes));
            }
            for (long i = 0; i < (long) rows * groups; i++) {
                ws.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) random.nextDouble(1e-4, 0.05));
            }
            for (int g = 0; g < groups; g++) {
                xs.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, g, (float) random.nextDouble(1e-4, 0.05));
            }
            GroupInt8Kernels.matvecQ8(w, ws, rows, groups, groupSize, x, xs, out);
            for (int r = 0; r < rows; r++) {
                float acc = 0.0f;
                for (int g = 0; g < groups; g++) {
                    int dot = 0;
                    for (int i = 0; i < groupSize; i++) {
                        dot += w.get(ValueLayout.JAVA_BYTE, (long) r * k + (long) g * groupSize + i)
                                * x.get(ValueLayout.JAVA_BYTE, (long) g * groupSize + i);
                    }
                    float scale = ws.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) g * rows + r)
                            * xs.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, g);
                    acc = acc + (float) dot * scale;
                }
                assertEquals(Float.floatToRawIntBits(acc),
                        Float.floatToRawIntBits(out.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, r)),
                        isa + " matvec row " + r + " of " + rows);
            }
        }
    }

    private static byte value(SplittableRandom random, boolean extremes) {
        return extremes ? (random.nextBoolean() ? (byte) 127 : (byte) -127) : (byte) (random.nextInt(255) - 127);
    }
}

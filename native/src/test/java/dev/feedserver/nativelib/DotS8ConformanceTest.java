package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** fn_dot_s8_batch on every supported ISA: results must equal the Java reference exactly. */
class DotS8ConformanceTest {

    private static final int MAX_ROWS = 5;
    private static final int MAX_EXTRA_STRIDE = 3;
    private static final int MAX_OFFSET = 63; // bytes
    private static final int SENTINEL = 0x5A5A5A5A;

    static java.util.List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void randomInputsAllDimsOffsetsAndStrides(String isa) {
        SplittableRandom random = new SplittableRandom(0x58L);
        Isas.with(isa, () -> check(isa, (matrix, query) -> {
            randomBytes(matrix, random);
            randomBytes(query, random);
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void extremeValuesAreExact(String isa) {
        Isas.with(isa, () -> {
            check(isa, (matrix, query) -> {   // (-128) * (-128) everywhere: the VNNI offset trick's worst case
                matrix.fill((byte) -128);
                query.fill((byte) -128);
            });
            check(isa, (matrix, query) -> {
                matrix.fill((byte) 127);
                query.fill((byte) -128);
            });
            check(isa, (matrix, query) -> {   // alternating extremes in both operands
                alternate(matrix, (byte) 127, (byte) -128);
                alternate(query, (byte) -128, (byte) 127);
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void largestExactDimAndWrapAroundMatchReference(String isa) {
        Isas.with(isa, () -> {
            try (Arena arena = Arena.ofConfined()) {
                // 131071 * 16384 = 2^31 - 16384: the largest all-(-128) sum that fits in int32.
                // 200000 * 16384 overflows: every path wraps modulo 2^32, like Java int arithmetic.
                for (int dim : new int[] {131_071, 200_000}) {
                    MemorySegment matrix = arena.allocate(dim);
                    MemorySegment query = arena.allocate(dim);
                    MemorySegment out = arena.allocate(Integer.BYTES);
                    matrix.fill((byte) -128);
                    query.fill((byte) -128);
                    NativeKernels.dotS8Batch(matrix, 1, dim, query, dim, out);
                    assertEquals((int) (dim * 16384L), out.get(ValueLayout.JAVA_INT, 0), isa + " dim=" + dim);
                    assertEquals(Reference.dotS8(matrix, 0, dim, query, dim), out.get(ValueLayout.JAVA_INT, 0));
                }
            }
        });
    }

    private interface Filler {
        void fill(MemorySegment matrix, MemorySegment query);
    }

    private static void check(String isa, Filler filler) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment matrixBuf = arena.allocate((long) MAX_ROWS * (Dims.MAX + MAX_EXTRA_STRIDE) + MAX_OFFSET, 64);
            MemorySegment queryBuf = arena.allocate(Dims.MAX + MAX_OFFSET, 64);
            MemorySegment outBuf = arena.allocate((MAX_ROWS + 1) * Integer.BYTES + 4, 64);
            for (int dim : Dims.ALL) {
                filler.fill(matrixBuf, queryBuf);
                for (int offset = 0; offset <= MAX_OFFSET; offset++) {
                    int rows = 1 + (dim + offset) % MAX_ROWS;
                    long stride = dim + (offset % 2 == 0 ? 0 : 1 + (dim % MAX_EXTRA_STRIDE));
                    MemorySegment matrix = matrixBuf.asSlice(offset);
                    MemorySegment query = queryBuf.asSlice((offset * 7L) % (MAX_OFFSET + 1));
                    MemorySegment out = outBuf.asSlice(offset % 4);
                    out.setAtIndex(Reference.I32, rows, SENTINEL);

                    NativeKernels.dotS8Batch(matrix, rows, stride, query, dim, out);

                    for (int r = 0; r < rows; r++) {
                        int expected = Reference.dotS8(matrix, r, stride, query, dim);
                        int actual = out.getAtIndex(Reference.I32, r);
                        if (expected != actual) {
                            assertEquals(expected, actual,
                                    isa + " dim=" + dim + " offset=" + offset + " stride=" + stride + " row=" + r);
                        }
                    }
                    assertEquals(SENTINEL, out.getAtIndex(Reference.I32, rows),
                            isa + " dim=" + dim + ": wrote past out[rows-1]");
                }
            }
        }
    }

    private static void randomBytes(MemorySegment segment, SplittableRandom random) {
        for (long i = 0; i < segment.byteSize(); i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
        }
    }

    private static void alternate(MemorySegment segment, byte even, byte odd) {
        for (long i = 0; i < segment.byteSize(); i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (i & 1) == 0 ? even : odd);
        }
    }
}

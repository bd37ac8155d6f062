package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** fn_dot_f32_batch on every supported ISA against the Java reference. */
class DotF32ConformanceTest {

    private static final int MAX_ROWS = 5;
    private static final int MAX_EXTRA_STRIDE = 3;
    private static final int MAX_OFFSET = 3; // elements
    private static final double REL_TOLERANCE = 1e-5;
    private static final int SENTINEL = 0x7fc0dead; // a NaN bit pattern no kernel produces

    static java.util.List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void matchesReferenceForAllDimsOffsetsAndStrides(String isa) {
        Isas.with(isa, () -> {
            try (Arena arena = Arena.ofConfined()) {
                long matrixFloats = (long) MAX_ROWS * (Dims.MAX + MAX_EXTRA_STRIDE) + MAX_OFFSET;
                MemorySegment matrixBuf = arena.allocate(matrixFloats * Float.BYTES, 64);
                MemorySegment queryBuf = arena.allocate((Dims.MAX + MAX_OFFSET) * Float.BYTES, 64);
                MemorySegment outBuf = arena.allocate((MAX_ROWS + 1 + MAX_OFFSET) * Float.BYTES, 64);
                SplittableRandom random = new SplittableRandom(0xF32L);
                int checked = 0;
                for (int dim : Dims.ALL) {
                    fill(matrixBuf, random);
                    fill(queryBuf, random);
                    for (int offset = 0; offset <= MAX_OFFSET; offset++) {
                        int rows = 1 + (dim + offset) % MAX_ROWS;
                        long stride = dim + (offset % 2 == 0 ? 0 : 1 + (dim % MAX_EXTRA_STRIDE));
                        MemorySegment matrix = matrixBuf.asSlice((long) offset * Float.BYTES);
                        MemorySegment query = queryBuf.asSlice((long) ((offset + 1) % (MAX_OFFSET + 1)) * Float.BYTES);
                        MemorySegment out = outBuf.asSlice((long) offset * Float.BYTES);
                        out.fill((byte) 0);
                        out.setAtIndex(Reference.I32, rows, SENTINEL);

                        NativeKernels.dotF32Batch(matrix, rows, stride, query, dim, out);

                        for (int r = 0; r < rows; r++) {
                            double[] expected = Reference.dotF32(matrix, r, stride, query, dim);
                            float actual = out.getAtIndex(Reference.F32, r);
                            double tolerance = REL_TOLERANCE * expected[1] + 1e-30;
                            String where = isa + " dim=" + dim + " offset=" + offset + " stride=" + stride + " row=" + r;
                            assertTrue(Math.abs(actual - expected[0]) <= tolerance,
                                    () -> where + ": expected " + expected[0] + " got " + actual);
                            checked++;
                        }
                        assertEquals(SENTINEL, out.getAtIndex(Reference.I32, rows),
                                isa + " dim=" + dim + ": wrote past out[rows-1]");
                    }
                }
                assertTrue(checked > Dims.ALL.length * (MAX_OFFSET + 1));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void byteMisalignedPointersWork(String isa) {
        Isas.with(isa, () -> {
            try (Arena arena = Arena.ofConfined()) {
                SplittableRandom random = new SplittableRandom(7);
                int dim = 37;
                int rows = 3;
                long stride = 41;
                MemorySegment matrixBuf = arena.allocate((rows * stride + 1) * Float.BYTES + 8, 64);
                MemorySegment queryBuf = arena.allocate(dim * Float.BYTES + 8, 64);
                MemorySegment outBuf = arena.allocate(rows * Float.BYTES + 8, 64);
                for (int byteOffset = 1; byteOffset <= 3; byteOffset++) {
                    MemorySegment matrix = matrixBuf.asSlice(byteOffset);
                    MemorySegment query = queryBuf.asSlice(4 - byteOffset);
                    MemorySegment out = outBuf.asSlice(byteOffset);
                    fill(matrix, random); // floats at odd byte addresses
                    fill(query, random);
                    NativeKernels.dotF32Batch(matrix, rows, stride, query, dim, out);
                    for (int r = 0; r < rows; r++) {
                        double[] expected = Reference.dotF32(matrix, r, stride, query, dim);
                        assertEquals(expected[0], out.getAtIndex(Reference.F32, r), REL_TOLERANCE * expected[1],
                                isa + " byteOffset=" + byteOffset + " row=" + r);
                    }
                }
            }
        });
    }

    private static void fill(MemorySegment segment, SplittableRandom random) {
        long n = segment.byteSize() / Float.BYTES;
        for (long i = 0; i < n; i++) {
            segment.setAtIndex(Reference.F32, i, (float) (random.nextDouble() * 2 - 1));
        }
    }
}

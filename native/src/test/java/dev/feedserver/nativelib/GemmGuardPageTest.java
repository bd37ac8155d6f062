package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.Int8Gemm.Epilogue;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The int8 GEMM never reads or writes past its operands: activations (whose last k-group is
 * partial), the packed blob, scales and the output each end exactly at a PROT_NONE page, so any
 * over-read or over-write would crash the test JVM. Likewise the MLP's layer-0 addend, whose last
 * row is only the layer's width long, and the gather's table (its last row, gathered and
 * prefetched, likewise), index and shared row.
 */
@SuppressWarnings("restricted")
class GemmGuardPageTest {

    private static final long PAGE = 4096;
    private static final long REGION = 256 * PAGE;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("mmap"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("mprotect"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("munmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    static List<String> isas() {
        return Isas.supported();
    }

    /** A REGION-byte mapping followed by a PROT_NONE page. */
    private static MemorySegment guarded() throws Throwable {
        MemorySegment base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, REGION + PAGE, 3, 0x22, -1, 0L);
        assertEquals(0, (int) MPROTECT.invokeExact(base.reinterpret(REGION + PAGE).asSlice(REGION), PAGE, 0));
        return base.reinterpret(REGION);
    }

    private static MemorySegment atEnd(MemorySegment region, long bytes) {
        return region.asSlice(REGION - bytes, bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void operandsEndingAtAGuardPage(String isa) throws Throwable {
        MemorySegment ra = guarded();
        MemorySegment rw = guarded();
        MemorySegment rs = guarded();
        MemorySegment ro = guarded();
        try (Arena arena = Arena.ofConfined()) {
            Isas.with(isa, () -> {
                for (int k : new int[] {1, 2, 3, 5, 6, 7, 255, 257, 259}) {
                    for (int m : new int[] {1, 5, 7}) {
                        int n = 19;
                        long lda = k + (m % 2);
                        MemorySegment a = atEnd(ra, (m - 1) * lda + k);
                        a.fill((byte) 1);
                        MemorySegment w = arena.allocate((long) n * k);
                        w.fill((byte) 2);
                        long size = NativeInt8Gemm.INSTANCE.packedSize(n, k);
                        MemorySegment packed = atEnd(rw, size);
                        NativeInt8Gemm.INSTANCE.pack(w, n, k, k, packed);
                        MemorySegment scales = atEnd(rs, 4L * n);
                        scales.fill((byte) 0);
                        MemorySegment out32 = atEnd(ro, 4L * m * n);
                        NativeInt8Gemm.INSTANCE.gemmS8S8(a, m, k, lda, packed, n, Epilogue.s32(), out32, n);
                        assertEquals(2 * k, out32.getAtIndex(ValueLayout.JAVA_INT, (long) m * n - 1), isa + " k=" + k);
                        NativeInt8Gemm.INSTANCE.gemmU8S8(a, m, k, lda, 1, packed, n,
                                Epilogue.f32(atEnd(rs, 4L * m), scales, scales, Activation.GELU), atEnd(ro, 4L * m * n), n);
                        MemorySegment out8 = atEnd(ro, (long) m * n);
                        NativeInt8Gemm.INSTANCE.gemmU8S8(a, m, k, lda, 0, packed, n,
                                Epilogue.u8(null, scales, null, Activation.RELU, 1f, 3), out8, n);
                        assertEquals(3, out8.get(ValueLayout.JAVA_BYTE, (long) m * n - 1), isa + " k=" + k);
                    }
                }
            });
        } finally {
            for (MemorySegment r : List.of(ra, rw, rs, ro)) {
                assertEquals(0, (int) MUNMAP.invokeExact(MemorySegment.ofAddress(r.address()), REGION + PAGE));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void mlpAddendEndingAtAGuardPage(String isa) throws Throwable {
        MemorySegment region = guarded();
        try (Arena arena = Arena.ofConfined()) {
            Isas.with(isa, () -> {
                for (int width : new int[] {1, 7, 8, 9, 15, 16, 17, 33}) {
                    float[] w = new float[5 * width];
                    Arrays.fill(w, 0.5f);
                    try (QuantizedMlp mlp = QuantizedMlp.createNative(
                            List.of(new QuantizedMlp.Layer(5, width, w, null, Activation.SILU, -1)), 0)) {
                        for (int rows : new int[] {1, 3}) {
                            long ldAdd = width + (rows - 1);
                            MemorySegment add = atEnd(region, 4L * ((rows - 1) * ldAdd + width));
                            add.fill((byte) 0);
                            MemorySegment x = arena.allocate(4L * 5 * rows);
                            MemorySegment out = arena.allocate(4L * width * rows);
                            mlp.forward(x, rows, 5, add, ldAdd, arena.allocate(mlp.scratchBytes(rows)), out, width);
                            assertEquals(0f, out.getAtIndex(ValueLayout.JAVA_FLOAT, (long) rows * width - 1),
                                    isa + " width " + width);
                        }
                    }
                }
            });
        } finally {
            assertEquals(0, (int) MUNMAP.invokeExact(MemorySegment.ofAddress(region.address()), REGION + PAGE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void mlpGatherTableIndexAndSharedEndingAtAGuardPage(String isa) throws Throwable {
        MemorySegment rt = guarded();
        MemorySegment ri = guarded();
        MemorySegment rs = guarded();
        try (Arena arena = Arena.ofConfined()) {
            Isas.with(isa, () -> {
                for (int width : new int[] {1, 7, 8, 9, 15, 16, 17, 33}) {
                    float[] w = new float[5 * width];
                    Arrays.fill(w, 0.5f);
                    List<QuantizedMlp.Layer> layers = List.of(new QuantizedMlp.Layer(5, width, w, null, Activation.SILU,
                            -1));
                    try (QuantizedMlp mlp = QuantizedMlp.createNative(layers, 0);
                         QuantizedMlp java = QuantizedMlp.createJava(layers, 0)) {
                        for (int tableRows : new int[] {1, 3}) {
                            long ldTable = width + (tableRows - 1);
                            MemorySegment table = atEnd(rt, 4L * ((tableRows - 1) * ldTable + width));
                            for (long i = 0; i < table.byteSize() / 4; i++) {
                                table.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.25f * (i % 7));
                            }
                            int rows = 100; // two row blocks, each prefetched, then read; even rows read the last
                            MemorySegment index = atEnd(ri, 4L * rows);
                            for (int r = 0; r < rows; r++) {
                                index.setAtIndex(ValueLayout.JAVA_INT, r, r % 2 == 0 ? tableRows - 1 : 0);
                            }
                            MemorySegment shared = atEnd(rs, 4L * width);
                            shared.fill((byte) 0);
                            shared.setAtIndex(ValueLayout.JAVA_FLOAT, width - 1, 1.5f);
                            MemorySegment x = arena.allocate(4L * 5 * rows);
                            MemorySegment out = arena.allocate(4L * width * rows);
                            MemorySegment want = arena.allocate(4L * width * rows);
                            MemorySegment scratch = arena.allocate(mlp.scratchBytes(rows));
                            mlp.forwardGather(x, rows, 5, table, ldTable, tableRows, index, shared, scratch, out,
                                    width);
                            java.forwardGather(x, rows, 5, table, ldTable, tableRows, index, shared, scratch, want,
                                    width);
                            assertEquals(-1L, out.mismatch(want), isa + " width " + width + " tableRows " + tableRows);
                        }
                    }
                }
            });
        } finally {
            for (MemorySegment r : List.of(rt, ri, rs)) {
                assertEquals(0, (int) MUNMAP.invokeExact(MemorySegment.ofAddress(r.address()), REGION + PAGE));
            }
        }
    }
}

package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tail handling never reads past the last element: inputs end exactly at a PROT_NONE page
 * (mmap + mprotect from libc), so any over-read would crash the test JVM.
 */
@SuppressWarnings("restricted")
class GuardPageTest {

    private static final long PAGE = 4096;
    private static final long REGION = 64 * PAGE;
    private static final int PROT_NONE = 0;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("mmap"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("mprotect"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("munmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    static java.util.List<String> isas() {
        return Isas.supported();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isas")
    void inputsEndingAtAGuardPage(String isa) throws Throwable {
        MemorySegment base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, REGION + PAGE,
                PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        assertEquals(0, (int) MPROTECT.invokeExact(base.reinterpret(REGION + PAGE).asSlice(REGION), PAGE, PROT_NONE));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = base.reinterpret(REGION);
            MemorySegment out = arena.allocate(16 * Integer.BYTES);
            Isas.with(isa, () -> {
                for (int dim = 1; dim <= 130; dim++) {
                    int rows = 3;
                    long stride = dim + 1;
                    long s8Bytes = (rows - 1) * stride + dim;
                    region.fill((byte) -128);
                    // matrix ends at the guard page; the query ends right before the matrix starts
                    MemorySegment matrix = region.asSlice(REGION - s8Bytes, s8Bytes);
                    MemorySegment query = region.asSlice(REGION - s8Bytes - dim, dim);
                    NativeKernels.dotS8Batch(matrix, rows, stride, query, dim, out);
                    assertEquals(dim * 16384, out.getAtIndex(ValueLayout.JAVA_INT, rows - 1), isa + " dim=" + dim);

                    long f32Bytes = s8Bytes * Float.BYTES;
                    MemorySegment fMatrix = region.asSlice(REGION - f32Bytes, f32Bytes);
                    fMatrix.fill((byte) 0);
                    for (long i = 0; i < s8Bytes; i++) {
                        fMatrix.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1.0f);
                    }
                    MemorySegment fQuery = region.asSlice(REGION - f32Bytes - 4L * dim, 4L * dim);
                    for (int k = 0; k < dim; k++) {
                        fQuery.setAtIndex(ValueLayout.JAVA_FLOAT, k, 2.0f);
                    }
                    NativeKernels.dotF32Batch(fMatrix, rows, stride, fQuery, dim, out);
                    assertEquals(2.0f * dim, out.getAtIndex(ValueLayout.JAVA_FLOAT, rows - 1), isa + " dim=" + dim);
                }
            });
        } finally {
            assertEquals(0, (int) MUNMAP.invokeExact(base, REGION + PAGE));
        }
    }
}

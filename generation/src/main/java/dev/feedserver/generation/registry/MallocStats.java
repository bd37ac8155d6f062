package dev.feedserver.generation.registry;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C allocator's own count of the bytes in use, from glibc's {@code mallinfo2()} (glibc
 * 2.33 and newer): {@code uordblks} (bytes in chunks handed out from the heap arenas) plus
 * {@code hblkhd} (bytes in chunks mapped on their own). Unlike the resident set, it does not
 * miss memory the allocator recycles from freed chunks, nor count freed memory it keeps:
 * the right measure of what a native library (ONNX Runtime) holds after a load. Where the
 * function is absent (another C library, another OS) {@link #available()} is false.
 *
 * <p>Stateless and thread-safe; each call walks glibc's arenas (microseconds).
 */
public final class MallocStats {

    // struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost; }
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));
    private static final MethodHandle MALLINFO = lookup();

    private MallocStats() {
    }

    private static MethodHandle lookup() {
        if (ValueLayout.ADDRESS.byteSize() != 8) {
            return null; // the layout above assumes a 64-bit size_t
        }
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> symbol = linker.defaultLookup().find("mallinfo2");
            return symbol.map(s -> linker.downcallHandle(s, FunctionDescriptor.of(MALLINFO2))).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null; // native access denied or no such symbol: fall back to the resident set
        }
    }

    /** Whether the C allocator can be asked. */
    public static boolean available() {
        return MALLINFO != null;
    }

    /** Bytes the C allocator has handed out and not had back, or {@code -1} when unavailable. */
    public static long inUseBytes() {
        if (MALLINFO == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, UORDBLKS) + info.get(ValueLayout.JAVA_LONG, HBLKHD);
        } catch (Throwable t) {
            return -1;
        }
    }
}

package dev.feedserver.generation.registry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what a load costs the process, for models that cannot report their own memory
 * (ONNX Runtime sessions, Java objects), from two disjoint parts taken just before and just
 * after the load, on the loading thread:
 * <ul>
 *   <li><b>heap</b>: the bytes the loading thread allocated ({@code ThreadMXBean}'s
 *       per-thread counter). Other threads' allocations do not count; the load's own garbage
 *       does, so this is an upper bound of what the model keeps on the heap. Where the JVM has
 *       no such counter, the growth of the used heap stands in;</li>
 *   <li><b>native</b>: the growth of the C allocator's bytes in use ({@link MallocStats}, glibc),
 *       which sees memory the allocator recycles from freed chunks; elsewhere the growth of the
 *       resident set ({@code VmRSS} in {@code /proc/self/status}) less the growth of the
 *       committed heap over the same span, so heap expansion is not counted twice.</li>
 * </ul>
 * What counts depends on where the backend keeps its model ({@link #delta(Reading, Reading,
 * Backend)}): ONNX Runtime keeps it native, and what its Java side allocates while loading
 * (the model file read into an array, copies handed to the native side) is garbage once the
 * session exists, so only the native part counts; a Java model lives on the heap, so both
 * count. Approximate by nature: native allocations and frees by other threads
 * during the load move it, and memory mapped outside {@code malloc} is not seen by the
 * allocator's count. That is why loads
 * measured this way are serialised ({@link RegisteredModel#load}), the accounting uses
 * {@code max(estimate, measured)}, and every load measures again. Stateless and thread-safe.
 */
public final class FootprintMeter {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
                    ? t : null;

    private FootprintMeter() {
    }

    /**
     * A point-in-time reading: the resident set ({@code -1} off Linux), the committed and used
     * heap, and the bytes the calling thread has allocated so far ({@code -1} if unsupported).
     */
    public record Reading(long residentBytes, long heapCommittedBytes, long heapUsedBytes, long threadAllocatedBytes,
                          long mallocInUseBytes) {
    }

    /** A reading for the calling thread. */
    public static Reading read() {
        var heap = MEMORY.getHeapMemoryUsage();
        long allocated = THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
        return new Reading(residentSetBytes(), heap.getCommitted(), heap.getUsed(), allocated, MallocStats.inUseBytes());
    }

    /** The measured cost of a model on {@code backend} between two readings of the same thread, {@code >= 0}. */
    public static long delta(Reading before, Reading after, Backend backend) {
        long nativeBytes = nativeDelta(before, after);
        return backend == Backend.JAVA ? heapDelta(before, after) + nativeBytes : nativeBytes;
    }

    private static long heapDelta(Reading before, Reading after) {
        long heap = before.threadAllocatedBytes() >= 0 && after.threadAllocatedBytes() >= 0
                ? after.threadAllocatedBytes() - before.threadAllocatedBytes()
                : after.heapUsedBytes() - before.heapUsedBytes();
        return Math.max(0, heap);
    }

    private static long nativeDelta(Reading before, Reading after) {
        if (before.mallocInUseBytes() >= 0 && after.mallocInUseBytes() >= 0) {
            return Math.max(0, after.mallocInUseBytes() - before.mallocInUseBytes());
        }
        if (before.residentBytes() < 0 || after.residentBytes() < 0) {
            return 0;
        }
        long rss = after.residentBytes() - before.residentBytes();
        long heapGrowth = Math.max(0, after.heapCommittedBytes() - before.heapCommittedBytes());
        return Math.max(0, rss - heapGrowth);
    }

    /** The process's resident set in bytes, or {@code -1} where {@code /proc} is not there. */
    public static long residentSetBytes() {
        return residentSetBytes(STATUS);
    }

    /** The resident set of process {@code pid} in bytes, or {@code -1} when it cannot be read. */
    public static long residentSetBytes(long pid) {
        return residentSetBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long residentSetBytes(Path status) {
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel writes kB
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}

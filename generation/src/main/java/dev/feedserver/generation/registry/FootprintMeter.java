package dev.feedserver.generation.registry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures what a load costs the process, for models that cannot report their own memory
 * (ONNX Runtime sessions, Java objects), as two disjoint parts taken just before and just
 * after the load, on the loading thread:
 * <ul>
 *   <li><b>heap</b>: the bytes the loading thread allocated ({@code ThreadMXBean}'s
 *       per-thread counter). Other threads' allocations do not count; the load's own garbage
 *       does, so this is an upper bound of what the model keeps on the heap. Where the JVM has
 *       no such counter, the growth of the used heap stands in;</li>
 *   <li><b>native</b>: the growth of the resident set ({@code VmRSS} in
 *       {@code /proc/self/status}, Linux only) less the growth of the committed heap over the
 *       same span, so heap expansion is not counted twice.</li>
 * </ul>
 * The figure is their sum. Approximate by nature: native allocations by other threads during
 * the load, or the allocator handing back pages it had kept, move it. That is why loads
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
    public record Reading(long residentBytes, long heapCommittedBytes, long heapUsedBytes, long threadAllocatedBytes) {
    }

    /** A reading for the calling thread. */
    public static Reading read() {
        var heap = MEMORY.getHeapMemoryUsage();
        long allocated = THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
        return new Reading(residentSetBytes(), heap.getCommitted(), heap.getUsed(), allocated);
    }

    /** The measured cost between two readings of the same thread, {@code >= 0}. */
    public static long delta(Reading before, Reading after) {
        long heap = before.threadAllocatedBytes() >= 0 && after.threadAllocatedBytes() >= 0
                ? after.threadAllocatedBytes() - before.threadAllocatedBytes()
                : after.heapUsedBytes() - before.heapUsedBytes();
        long nativeBytes = 0;
        if (before.residentBytes() >= 0 && after.residentBytes() >= 0) {
            long rss = after.residentBytes() - before.residentBytes();
            long heapGrowth = Math.max(0, after.heapCommittedBytes() - before.heapCommittedBytes());
            nativeBytes = rss - heapGrowth;
        }
        return Math.max(0, heap) + Math.max(0, nativeBytes);
    }

    /** The process's resident set in bytes, or {@code -1} where {@code /proc} is not there. */
    public static long residentSetBytes() {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
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

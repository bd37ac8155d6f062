package dev.feedserver.generation.registry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures what a load costs the process, for models that cannot report their own memory
 * (ONNX Runtime sessions, Java objects): the growth of the resident set ({@code VmRSS} in
 * {@code /proc/self/status}, Linux only) and of the used heap, taken just before and just after
 * the load; the figure is the larger of the two (the heap may grow inside pages already
 * resident, and native allocations do not show in the heap).
 *
 * <p>Approximate by nature: other threads allocating or freeing during the load, the garbage
 * collector running, or the allocator keeping freed pages all move it. That is why the
 * accounting uses {@code max(estimate, measured)} and the figure is re-measured on every load
 * (the registry keeps the largest). Stateless and thread-safe.
 */
public final class FootprintMeter {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private FootprintMeter() {
    }

    /** A point-in-time reading: resident set bytes ({@code -1} off Linux) and used heap bytes. */
    public record Reading(long residentBytes, long heapBytes) {
    }

    public static Reading read() {
        return new Reading(residentSetBytes(), MEMORY.getHeapMemoryUsage().getUsed());
    }

    /** The measured cost between two readings, {@code >= 0}. */
    public static long delta(Reading before, Reading after) {
        long heap = after.heapBytes() - before.heapBytes();
        long rss = before.residentBytes() < 0 || after.residentBytes() < 0 ? 0 : after.residentBytes() - before.residentBytes();
        return Math.max(0, Math.max(heap, rss));
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

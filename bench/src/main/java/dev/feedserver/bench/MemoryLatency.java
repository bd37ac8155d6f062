package dev.feedserver.bench;

import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The machine's dependent-load latency: a pointer chase through a random cycle of cache lines
 * in an off-heap region far larger than the caches (mapped the way the store maps its tables,
 * with huge pages where the native library is loaded). A store lookup on a large table is at
 * least one such load per cache miss it takes, so this is the floor its latency is read against.
 * Stateless; each call allocates and frees its own region.
 */
final class MemoryLatency {
    private static final long LINE = 64;

    private MemoryLatency() {
    }

    /** Median ns per dependent load over {@code rounds} rounds of {@code loads} loads in {@code bytes}. */
    static double dependentLoadNanos(long bytes, int loads, int rounds) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment region = KernelBackend.current() == KernelBackend.NATIVE
                    ? NativeKernels.mapHuge(bytes, arena) : arena.allocate(bytes, 1L << 21);
            int lines = (int) Math.min(Integer.MAX_VALUE, bytes / LINE);
            int[] order = new int[lines];
            for (int i = 0; i < lines; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(5);
            for (int i = lines - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < lines; i++) { // one cycle through every line, in random order
                region.set(ValueLayout.JAVA_LONG, order[i] * LINE, order[(i + 1) % lines] * LINE);
            }
            double[] perLoad = new double[rounds];
            long position = 0;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < loads; i++) {
                    position = region.get(ValueLayout.JAVA_LONG, position);
                }
                perLoad[r] = (System.nanoTime() - start) / (double) loads;
            }
            if (position < 0) {
                throw new IllegalStateException("unreachable");
            }
            Arrays.sort(perLoad);
            return perLoad[rounds / 2];
        }
    }
}

package dev.feedserver.generation.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * glibc's bytes-in-use count sees a native allocation come and go (where glibc is the C
 * library). The count is process-wide, so another thread freeing or allocating at the same
 * moment (a cleaner, the JIT) can disturb one attempt; the test takes the best of five.
 */
class MallocStatsTest {

    private static final long SIZE = 32L << 20;
    private static final long NOISE = 4L << 20;

    @Test
    void seesANativeAllocationAndItsRelease() {
        assumeTrue(MallocStats.available(), "mallinfo2 is glibc 2.33+ only");
        String attempts = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = MallocStats.inUseBytes();
            long during;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = arena.allocate(SIZE);
                block.fill((byte) 1);
                during = MallocStats.inUseBytes();
            }
            long after = MallocStats.inUseBytes();
            long grew = during - before;
            long shrank = during - after;
            if (Math.abs(grew - SIZE) <= NOISE && Math.abs(shrank - SIZE) <= NOISE) {
                return;
            }
            attempts += " [grew " + grew + ", shrank " + shrank + "]";
        }
        assertTrue(false, "no attempt saw a " + SIZE + "-byte block come and go:" + attempts);
    }
}

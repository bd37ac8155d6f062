package dev.feedserver.generation.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** glibc's bytes-in-use count sees a native allocation come and go (where glibc is the C library). */
class MallocStatsTest {

    @Test
    void seesANativeAllocationAndItsRelease() {
        assumeTrue(MallocStats.available(), "mallinfo2 is glibc 2.33+ only");
        long before = MallocStats.inUseBytes();
        long size = 32L << 20;
        long during;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(size);
            block.fill((byte) 1);
            during = MallocStats.inUseBytes();
        }
        long after = MallocStats.inUseBytes();
        assertTrue(during - before >= size, "in use grew by " + (during - before) + " for a " + size + "-byte block");
        assertTrue(during - after >= size, "and shrank by " + (during - after) + " once freed");
    }
}

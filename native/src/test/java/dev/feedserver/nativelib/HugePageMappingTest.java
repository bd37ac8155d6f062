package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class HugePageMappingTest {

    @Test
    void mappedHugeMemoryIsZeroedAlignedWritableAndFreedWithItsArena() {
        MemorySegment kept;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment region = NativeKernels.mapHuge(5L << 20, arena);
            assertEquals(5L << 20, region.byteSize());
            assertEquals(0, region.address() % (2L << 20), "2 MiB-aligned");
            assertEquals(0L, region.get(java.lang.foreign.ValueLayout.JAVA_LONG, (5L << 20) - 8));
            region.set(java.lang.foreign.ValueLayout.JAVA_LONG, 4096, 42L);
            assertEquals(42L, region.get(java.lang.foreign.ValueLayout.JAVA_LONG, 4096));
            kept = region;
        }
        MemorySegment closed = kept;
        assertThrows(IllegalStateException.class, () -> closed.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.mapHuge(0, Arena.global()));
    }
}

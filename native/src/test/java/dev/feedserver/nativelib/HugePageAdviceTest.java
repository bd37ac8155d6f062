package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HugePageAdviceTest {

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

    @Test
    void advisesOnlyWholeAlignedHugePages() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(4096, 64);
            assertEquals(0, NativeKernels.adviseHugePages(small), "no whole 2 MiB page inside 4 KiB");
            MemorySegment large = arena.allocate(6L << 20, 2L << 20);
            long advised = NativeKernels.adviseHugePages(large);
            assertTrue(advised == 0 || advised == 6L << 20, "whole pages only: " + advised);
            Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
            if (Files.isReadable(thp) && !Files.readString(thp).contains("[never]")) {
                assertEquals(6L << 20, advised, "the kernel accepts the advice when THP is enabled");
            }
            assertThrows(IllegalArgumentException.class, () -> NativeKernels.adviseHugePages(MemorySegment.ofArray(new byte[8])));
        }
    }
}

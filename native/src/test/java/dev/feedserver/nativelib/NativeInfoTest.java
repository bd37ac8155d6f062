package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeInfoTest {

    @Test
    void reportsAbiAndAnIsaName() {
        NativeInfo info = NativeKernels.info();
        assertEquals(2, info.abiVersion());
        assertEquals(feed_native_h.FN_ABI_VERSION(), info.abiVersion());
        assertTrue(List.of("scalar", "avx2", "avxvnni", "avx512vnni").contains(info.isa()), info.isa());
        assertEquals("scalar", info.supported().getFirst());
        assertTrue(info.supported().contains(info.isa()));
        // preference order: auto-detection (no override in this JVM) picks the last one
        List<String> order = List.of("scalar", "avx2", "avxvnni", "avx512vnni");
        List<String> sorted = info.supported().stream().sorted(java.util.Comparator.comparingInt(order::indexOf)).toList();
        assertEquals(sorted, info.supported());
        assertFalse(NativeKernels.dispatchNote().isBlank());
        System.out.println("feednative: " + info + " -- " + NativeKernels.dispatchNote()
                + " -- loaded from " + NativeLibrary.path());
    }

    @Test
    void isaNames() {
        assertEquals("scalar", feed_native_h.fn_isa_name(feed_native_h.FN_ISA_SCALAR()).getString(0));
        assertEquals("avx2", feed_native_h.fn_isa_name(feed_native_h.FN_ISA_AVX2()).getString(0));
        assertEquals("avx512vnni", feed_native_h.fn_isa_name(feed_native_h.FN_ISA_AVX512()).getString(0));
        assertEquals("avxvnni", feed_native_h.fn_isa_name(feed_native_h.FN_ISA_AVXVNNI()).getString(0));
        assertEquals("unknown", feed_native_h.fn_isa_name(4).getString(0));
        assertEquals("unknown", feed_native_h.fn_isa_name(-1).getString(0));
    }

    @Test
    void structLayoutMatchesTheHeader() {
        assertEquals(16, fn_info.sizeof());
        assertEquals(12, fn_info.reserved$offset());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = fn_info.allocate(arena);
            fn_info.reserved(info, 77);
            assertEquals(feed_native_h.FN_OK(), feed_native_h.fn_get_info(info));
            assertEquals(0, fn_info.reserved(info));
            assertTrue((fn_info.isa_supported_mask(info) & (1 << fn_info.isa(info))) != 0);
        }
    }

    @Test
    void forceIsaSwitchesAndRestores() {
        String original = NativeKernels.info().isa();
        for (String isa : Isas.supported()) {
            Isas.with(isa, () -> {
                assertEquals(isa, NativeKernels.info().isa());
                assertEquals("forced to " + isa + " by fn_set_isa", NativeKernels.dispatchNote());
            });
            assertEquals(original, NativeKernels.info().isa());
        }
        if (Isas.supported().contains("avx512vnni")) {
            Isas.with("AVX512", () -> assertEquals("avx512vnni", NativeKernels.info().isa()));
        }
    }
}

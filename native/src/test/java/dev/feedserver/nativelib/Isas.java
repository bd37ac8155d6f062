package dev.feedserver.nativelib;

import java.util.List;

/** Test helper: the kernel paths this CPU supports, and running code on one of them. */
final class Isas {

    private Isas() {}

    /** Every ISA name the CPU supports ("scalar" first); used as a @MethodSource. */
    static List<String> supported() {
        return NativeKernels.info().supported();
    }

    /** Runs {@code body} with the process forced onto {@code isa}, restoring the previous path after. */
    static void with(String isa, Runnable body) {
        String previous = NativeKernels.info().isa();
        NativeKernels.forceIsa(isa);
        try {
            body.run();
        } finally {
            NativeKernels.forceIsa(previous);
        }
    }
}

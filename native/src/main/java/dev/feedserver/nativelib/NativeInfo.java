package dev.feedserver.nativelib;

import java.util.List;

/**
 * Snapshot of the loaded library's state.
 *
 * <p>Threading and lifecycle: immutable value; the kernel path can change later (only via
 * {@link NativeKernels#forceIsa(String)}, for tests/benchmarks).
 *
 * @param abiVersion {@code FN_ABI_VERSION} of the loaded library
 * @param isa        kernel path in use: "scalar", "avx2", "avxvnni" or "avx512vnni"
 * @param supported  every path this CPU can run, in preference order, least preferred first
 *                   (always starts with "scalar"; the last is what auto-detection picks)
 */
public record NativeInfo(int abiVersion, String isa, List<String> supported) {

    /** Copies {@code supported} into an unmodifiable list. */
    public NativeInfo {
        supported = List.copyOf(supported);
    }
}

package dev.feedserver.nativelib;

/** Child-process entry point for {@link EnvOverrideTest}: prints "isa|supported|note". */
public final class IsaProbe {

    private IsaProbe() {}

    public static void main(String[] args) {
        NativeInfo info = NativeKernels.info();
        System.out.println(info.isa() + "|" + String.join(",", info.supported()) + "|" + NativeKernels.dispatchNote());
    }
}

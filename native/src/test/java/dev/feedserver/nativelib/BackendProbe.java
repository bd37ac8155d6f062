package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Child-process entry point for {@link KernelBackendTest}: prints "backend|reason|top index". */
public final class BackendProbe {

    private BackendProbe() {}

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scores = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f, 9f, 3f);
            MemorySegment index = arena.allocate(ValueLayout.JAVA_INT, 1);
            MemorySegment score = arena.allocate(ValueLayout.JAVA_FLOAT, 1);
            VectorKernels.get().topKF32(scores, 3, 1, index, score);
            System.out.println(KernelBackend.current() + "|" + KernelBackend.reason() + "|" + index.get(ValueLayout.JAVA_INT, 0));
        }
    }
}

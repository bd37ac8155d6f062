package dev.feedserver.nativelib;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** NumberFormats.get() and Quantizer.get() follow KernelBackend.current(). */
class FormatsBackendTest {

    @Test
    void getFollowsTheKernelBackend() {
        boolean nativeBackend = KernelBackend.current() == KernelBackend.NATIVE;
        assertSame(nativeBackend ? NativeNumberFormats.INSTANCE : JavaNumberFormats.INSTANCE, NumberFormats.get());
        assertSame(nativeBackend ? NativeQuantizer.INSTANCE : JavaQuantizer.INSTANCE, Quantizer.get());
    }
}

package dev.feedserver.nativelib;

/**
 * Turns the status of a {@link NumberFormats} / {@link Quantizer} downcall into the facades'
 * exceptions. Shapes are checked in Java first, so an argument status coming back from native
 * code is about the data (all values NaN, a non-finite row): it becomes an
 * {@link IllegalArgumentException}, exactly what the pure-Java backend throws, with the
 * {@link NativeException} as its cause. Any other failure is a {@link NativeException}.
 *
 * <p>Threading: stateless; {@code fn_last_error()} is read on the calling thread, right after
 * the failing call.
 */
final class NativeCallStatus {

    private NativeCallStatus() {}

    /** Loads the library and checks its FN_ABI_VERSION (once, in NativeKernels' initialiser). */
    static void verifyLibrary() {
        NativeKernels.dispatchNote();
    }

    static void check(int status) {
        if (status == feed_native_h.FN_OK()) {
            return;
        }
        NativeException e = new NativeException(status, feed_native_h.fn_last_error().getString(0));
        if (status == feed_native_h.FN_ERR_INVALID_ARGUMENT() || status == feed_native_h.FN_ERR_NULL_POINTER()) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        throw e;
    }
}

package dev.feedserver.nativelib;

/**
 * A libfeednative call returned an error status. Carries the status code and the native
 * {@code fn_last_error()} text of the failing call.
 *
 * <p>Threading and lifecycle: immutable; safe to share between threads.
 */
public final class NativeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status  the negative {@code FN_ERR_*} status the call returned
     * @param message the native error text (typically from {@code fn_last_error()})
     */
    public NativeException(int status, String message) {
        super(message + " (status " + status + ")");
        this.status = status;
    }

    /** The negative {@code FN_ERR_*} status code the native call returned. */
    public int status() {
        return status;
    }
}

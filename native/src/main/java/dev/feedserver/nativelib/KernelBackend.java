package dev.feedserver.nativelib;

import java.util.Locale;

/**
 * Which implementation runs the kernels: the native library (through FFM) or the pure-Java
 * fallback, which gives identical integer and conversion results (and float results equal to
 * float rounding). Chosen once, on first use: native unless {@code -Dfeed.kernels=java} or
 * {@code FEED_KERNELS=java} asks for Java, or the library cannot load. A fallback is logged
 * at WARNING with the reason, never silent.
 *
 * <p>Each kernel family follows one pattern: an interface with {@code static X get()}
 * returning the {@code NativeX} or {@code JavaX} implementation for {@link #current()}; tests
 * run the same suite against both implementations directly.
 *
 * <p>Threading: immutable after class initialisation.
 */
public enum KernelBackend {
    NATIVE,
    JAVA;

    private static final System.Logger LOG = System.getLogger(KernelBackend.class.getName());
    private static final String REASON;
    private static final KernelBackend CURRENT;

    static {
        String requested = System.getProperty("feed.kernels", System.getenv().getOrDefault("FEED_KERNELS", "native"))
                .toLowerCase(Locale.ROOT);
        KernelBackend chosen;
        String reason;
        if (requested.equals("java")) {
            chosen = JAVA;
            reason = "pure-Java kernels requested (feed.kernels / FEED_KERNELS = java)";
        } else {
            try {
                NativeKernels.info();
                chosen = NATIVE;
                reason = "native library " + NativeLibrary.path();
            } catch (LinkageError | RuntimeException e) {
                chosen = JAVA;
                reason = "native library unavailable (" + e + "); using the pure-Java kernels";
            }
        }
        CURRENT = chosen;
        REASON = reason;
        if (chosen == JAVA) {
            LOG.log(System.Logger.Level.WARNING, "feednative: " + reason);
        }
    }

    /** The backend every {@code get()} returns. */
    public static KernelBackend current() {
        return CURRENT;
    }

    /** Why {@link #current()} was chosen, for logs and {@code /metrics}. */
    public static String reason() {
        return REASON;
    }
}

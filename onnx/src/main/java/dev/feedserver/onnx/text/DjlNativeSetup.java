package dev.feedserver.onnx.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Prepares DJL before its tokenizer library loads. DJL copies {@code libtokenizers.so} out of
 * its jar into {@code $ENGINE_CACHE_DIR/tokenizers/<version>-<platform>/} (default
 * {@code ~/.djl.ai}) and loads it from there, once per JVM, in a static initialiser; and every
 * new tokenizer first "calls home", probing the EC2 metadata endpoint with one-second timeouts.
 * This class points the cache at our directory and opts out of the telemetry, both through
 * system properties, unless the operator already set them (environment or property).
 *
 * <p>Process-wide: only the first call before DJL's library loads has an effect. Thread-safe.
 */
final class DjlNativeSetup {

    static final String CACHE_DIR_KEY = "ENGINE_CACHE_DIR";
    static final String OPT_OUT_KEY = "OPT_OUT_TRACKING";

    private static boolean done;

    private DjlNativeSetup() {
    }

    /** Applies the settings once; later calls do nothing. */
    static synchronized void prepare(Path cacheDir) {
        if (done) {
            return;
        }
        if (unset(OPT_OUT_KEY)) {
            System.setProperty(OPT_OUT_KEY, "true");
        }
        if (unset(CACHE_DIR_KEY)) {
            createOwnerOnly(cacheDir);
            System.setProperty(CACHE_DIR_KEY, cacheDir.toAbsolutePath().toString());
        }
        done = true;
    }

    /** The cache directory DJL will use: the environment variable wins over the property. */
    static String effectiveCacheDir() {
        String env = System.getenv(CACHE_DIR_KEY);
        return env != null && !env.isEmpty() ? env : System.getProperty(CACHE_DIR_KEY, "~/.djl.ai (DJL default)");
    }

    private static boolean unset(String key) {
        String env = System.getenv(key);
        String property = System.getProperty(key);
        return (env == null || env.isEmpty()) && (property == null || property.isEmpty());
    }

    // DJL loads whatever library file it finds at the cached path, so nobody else may write there.
    private static void createOwnerOnly(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the DJL native cache directory " + dir, e);
        }
    }
}

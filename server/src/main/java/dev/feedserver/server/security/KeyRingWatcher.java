package dev.feedserver.server.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current {@link KeyRing} in step with the keys file, so keys are created and revoked
 * without a restart. A daemon thread ({@code keys-reload}) compares the file's modification
 * time, size and file key every {@code interval} (polling rather than a {@code WatchService},
 * which misses atomic renames on some file systems and bind mounts) and reloads on any change.
 * A file that fails to read or parse keeps the previous keys and logs an error naming the line;
 * a valid empty file revokes every key. Keys are never logged, only their count.
 *
 * <p>Threading: {@link #current} from any thread (volatile read). Lifecycle: the constructor
 * loads once and throws if the file is missing or invalid; {@link #start} begins polling;
 * {@link #close} stops it (idempotent).
 */
public final class KeyRingWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRingWatcher.class);

    private final Path file;
    private final Duration interval;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile KeyRing current;
    private Object stamp;
    private Object failedStamp;
    private ScheduledExecutorService poller;

    public KeyRingWatcher(Path file, Duration interval) throws IOException {
        this.file = file;
        this.interval = interval;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("keys file " + file + " does not exist; create a key with 'feedserver keys create --keys-file "
                    + file + " --scopes ...'");
        }
        stamp = stamp();
        current = new KeyRing(KeysFile.read(file));
    }

    public KeyRing current() {
        return current;
    }

    public long reloads() {
        return reloads.get();
    }

    public long failures() {
        return failures.get();
    }

    public synchronized void start() {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("keys-reload").factory());
            long millis = Math.max(1, interval.toMillis());
            poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Reloads when the file changed; called by the poller, and by tests directly. */
    void poll() {
        try {
            Object now = stamp();
            if (Objects.equals(now, stamp) || Objects.equals(now, failedStamp)) {
                return; // unchanged, or the same broken version already reported
            }
            failedStamp = now;
            KeyRing loaded = new KeyRing(KeysFile.read(file));
            stamp = now;
            failedStamp = null;
            current = loaded;
            reloads.incrementAndGet();
            LOG.info("keys file {} reloaded: {} keys", file, loaded.size());
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("keys file {} could not be reloaded; the previous {} keys stay in force: {}", file, current.size(), e.getMessage());
        }
    }

    private Object stamp() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return java.util.List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}

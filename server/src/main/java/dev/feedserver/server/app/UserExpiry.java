package dev.feedserver.server.app;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes users whose vectors have not been updated for the configured time to live, on one
 * background thread, once per sweep interval (a tenth of the TTL, at least a second and at most
 * a minute). A failing sweep is logged and the next one runs as planned.
 *
 * <p>Lifecycle: {@link #start} once; {@link #close} stops the thread and waits for a sweep in
 * progress; idempotent.
 */
public final class UserExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserExpiry.class);

    private final CuckooVectorStore store;
    private final Duration ttl;
    private final LongAdder expired = new LongAdder();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "user-expiry");
        t.setDaemon(true);
        return t;
    });

    public UserExpiry(CuckooVectorStore store, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("user TTL must be positive, got " + ttl);
        }
        this.store = store;
        this.ttl = ttl;
    }

    public void start() {
        long interval = Math.clamp(ttl.toMillis() / 10, 1_000L, 60_000L);
        sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Users removed so far. */
    public long expired() {
        return expired.sum();
    }

    void sweep() {
        try {
            long removed = store.expireOlderThan(System.currentTimeMillis() - ttl.toMillis());
            expired.add(removed);
            if (removed > 0) {
                LOG.info("expired {} users idle for more than {}", removed, ttl);
            }
        } catch (RuntimeException e) {
            LOG.error("user expiry sweep failed; will retry at the next interval", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            sweeper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

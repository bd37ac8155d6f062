package dev.feedserver.server.app;

import dev.feedserver.ranking.durability.ChangeJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a model checkpoint every interval (so a restart replays only the log after it, and
 * old log segments can go), and a last one at a graceful shutdown.
 *
 * <p>Threading: one daemon thread, {@code checkpoint}. Lifecycle: {@link #start()} schedules;
 * {@link #close()} stops the schedule and writes the final checkpoint; call it before the model
 * and the log are closed.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final ChangeJournal journal;
    private final Path dir;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastMillis = new AtomicLong();

    public Checkpointer(ChangeJournal journal, Path dir, Duration interval) {
        this.journal = journal;
        this.dir = dir;
        this.interval = interval;
    }

    public void start() {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkpointQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Checkpoints written since start. */
    public long written() {
        return written.get();
    }

    /** Duration of the last checkpoint in milliseconds. */
    public long lastMillis() {
        return lastMillis.get();
    }

    private void checkpointQuietly() {
        long start = System.nanoTime();
        try {
            Path file = journal.checkpoint(dir);
            lastMillis.set((System.nanoTime() - start) / 1_000_000);
            written.incrementAndGet();
            LOG.info("checkpoint {} written in {} ms", file.getFileName(), lastMillis.get());
        } catch (Exception e) {
            LOG.error("checkpoint failed; the log keeps every change, recovery replays more", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointQuietly();
    }
}

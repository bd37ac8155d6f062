package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.PlanExecutor;
import dev.feedserver.generation.orchestration.RunningJob;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generation jobs of one server: accepts briefs (plan, persist, run), answers for jobs,
 * cancels them, resumes unfinished ones after a restart, and publishes succeeded ones to the
 * catalogue. A change of a job is saved in the {@link JobStore} before it is shown, and a job is
 * published only once its success is saved.
 *
 * <p>Bounds: at most {@code maxActive} unfinished jobs (more are refused), at most
 * {@code maxRemembered} jobs in memory (the oldest finished ones are forgotten from memory),
 * idempotency keys only as long as their job is remembered, and finished jobs' directories
 * deleted from disk once older than the retention.
 *
 * <p>Threading: thread-safe. Lifecycle: {@link #resume} once at start; {@link #close} (before the
 * scheduler closes) stops accepting and saving, and cancels nothing: unfinished jobs resume at
 * the next start.
 */
public final class GenerationJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationJobs.class);
    /** How often finished jobs past the retention are looked for. */
    private static final long SWEEP_INTERVAL_MILLIS = 3_600_000L;

    private final JobStore store;
    private final BriefPlanner planner;
    private final PlanExecutor executor;
    private final CataloguePublisher publisher;
    private final Executor background;
    private final LongSupplier clockMillis;
    private final int maxActive;
    private final int maxRemembered;
    private final Duration retention;
    private final Map<String, StoredJob> jobs = new LinkedHashMap<>();
    private final Map<String, String> byKey = new LinkedHashMap<>();
    /** Unfinished jobs, counted under this object's lock so the bound holds for concurrent submits. */
    private final Set<String> active = new HashSet<>();
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final GenerationCounters counters;
    private final AtomicLong saveFailures = new AtomicLong();
    private long lastSweepMillis;
    private volatile boolean closed;

    public GenerationJobs(JobStore store, BriefPlanner planner, PlanExecutor executor, CataloguePublisher publisher,
                          Executor background, LongSupplier clockMillis, int maxActive, int maxRemembered,
                          Duration retention, GenerationCounters counters) {
        this.store = store;
        this.planner = planner;
        this.executor = executor;
        this.publisher = publisher;
        this.background = background;
        this.clockMillis = clockMillis;
        this.maxActive = maxActive;
        this.maxRemembered = maxRemembered;
        this.retention = retention;
        this.counters = counters;
    }

    /** Why a brief was not accepted. */
    public static final class Refused extends Exception {
        private final boolean conflict;

        Refused(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }

        /** True when the idempotency key names another brief (409); false when the server is busy (503). */
        public boolean conflict() {
            return conflict;
        }
    }

    /** A submission's outcome: the job, and whether it already existed under the idempotency key. */
    public record Submitted(StoredJob job, boolean duplicate) {
    }

    /** A cancellation's outcome: the job after it, and whether this call cancelled it (false: it had already ended). */
    public record Cancelled(StoredJob job, boolean cancelled) {
    }

    /**
     * Deletes finished jobs past the retention, loads the rest, resumes unfinished ones and
     * publishes succeeded ones not yet in the catalogue. A job that cannot be resumed (its
     * model is gone, say) is marked failed with the reason; it never stops the server.
     */
    public void resume() throws IOException {
        List<StoredJob> all = store.loadAll();
        List<StoredJob> stored = sweep(all);
        int deleted = all.size() - stored.size();
        int resumed = 0;
        synchronized (this) {
            for (StoredJob job : stored) {
                remember(job);
            }
        }
        for (StoredJob job : stored) {
            if (!job.job().state().isFinal()) {
                StoredJob fresh = job.with(job.job().forResume());
                synchronized (this) {
                    remember(fresh);
                    active.add(fresh.job().id());
                }
                if (save(fresh)) {
                    start(fresh);
                    resumed++;
                }
            } else if (job.job().state() == JobState.SUCCEEDED && job.itemId() == null) {
                background.execute(() -> publish(job));
            }
        }
        LOG.info("generation jobs: {} on disk, {} resumed, {} past the retention of {} deleted", stored.size(), resumed,
                deleted, retention);
    }

    /**
     * Accepts a brief: plans it, saves the job, starts it. A repeated idempotency key with the
     * same brief returns the existing job instead.
     *
     * @throws Refused when the key names a different brief, or too many jobs are unfinished
     */
    public Submitted submit(Brief brief, int priority, String idempotencyKey) throws Refused, IOException {
        StoredJob job;
        synchronized (this) {
            if (closed) {
                throw new Refused("the server is shutting down", false);
            }
            if (idempotencyKey != null && byKey.containsKey(idempotencyKey)) {
                StoredJob existing = jobs.get(byKey.get(idempotencyKey));
                if (!existing.job().brief().equals(brief) || existing.job().priority() != priority) {
                    throw new Refused("idempotency key '" + idempotencyKey + "' was used for job " + existing.job().id()
                            + " with a different brief", true);
                }
                return new Submitted(existing, true);
            }
            if (active.size() >= maxActive) {
                throw new Refused(active.size() + " generation jobs are unfinished (the most allowed); retry later", false);
            }
            String id = UUID.randomUUID().toString();
            JobSnapshot snapshot = JobSnapshot.queued(id, brief, planner.plan(brief), priority,
                    UUID.fromString(id).getLeastSignificantBits(), clockMillis.getAsLong());
            job = new StoredJob(snapshot, idempotencyKey, null);
            store.save(job); // durable before the 202, so the job survives a crash right after it
            remember(job);
            active.add(id);
        }
        counters.submitted();
        start(job);
        return new Submitted(job, false);
    }

    /** The job, or null when unknown (or forgotten). */
    public synchronized StoredJob get(String id) {
        return jobs.get(id);
    }

    /** Cancels an unfinished job (null when unknown); says whether this call cancelled it. */
    public Cancelled cancel(String id) {
        RunningJob job = running.get(id);
        boolean cancelled = job != null && job.tryCancel();
        StoredJob after = get(id);
        return after == null ? null : new Cancelled(after, cancelled);
    }

    /** Ids of the latent clusters that have an unfinished job, for the supply planner. */
    public synchronized Set<Integer> pendingClusters() {
        Set<Integer> clusters = new HashSet<>();
        for (String id : active) {
            StoredJob job = jobs.get(id);
            if (job != null && job.job().brief().clusterId() >= 0) {
                clusters.add(job.job().brief().clusterId());
            }
        }
        return clusters;
    }

    /** Unfinished jobs. */
    public synchronized int active() {
        return active.size();
    }

    /** Saves that failed (the job went on in memory). */
    public long saveFailures() {
        return saveFailures.get();
    }

    /** The price that turns busy time into cost. */
    public GenerationPrice price() {
        return counters.price();
    }

    /** Totals over finished jobs. */
    public GenerationCounters counters() {
        return counters;
    }

    /** The store, for serving output files. */
    public JobStore store() {
        return store;
    }

    /** The most recent jobs (only those in {@code state}, unless null), newest first, at most {@code limit}. */
    public synchronized List<StoredJob> recent(JobState state, int limit) {
        List<StoredJob> all = new ArrayList<>(jobs.values());
        List<StoredJob> newest = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && newest.size() < limit; i--) {
            if (state == null || all.get(i).job().state() == state) {
                newest.add(all.get(i));
            }
        }
        return newest;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void start(StoredJob job) throws IOException {
        String id = job.job().id();
        RunningJob run = executor.start(job.job(), store.directory(id), this::changed);
        running.put(id, run);
        run.done().whenComplete((snapshot, failure) -> running.remove(id, run)); // also when it ended before the put
    }

    /**
     * Runs under the job's lock for every change: save, then show, count, and hand a saved
     * success to the catalogue. After {@link #close} changes are ignored: shutting the scheduler
     * down fails the tasks it still holds, and those jobs must stay unfinished on disk so the next
     * start resumes them.
     */
    private void changed(JobSnapshot snapshot) {
        StoredJob updated;
        synchronized (this) {
            if (closed) {
                return;
            }
            StoredJob previous = jobs.get(snapshot.id());
            updated = previous == null ? new StoredJob(snapshot, null, null) : previous.with(snapshot);
        }
        boolean saved = save(updated);
        synchronized (this) {
            jobs.put(snapshot.id(), updated);
            if (snapshot.state().isFinal()) {
                active.remove(snapshot.id());
            }
        }
        if (snapshot.state().isFinal()) {
            counters.finished(snapshot);
            if (snapshot.state() == JobState.SUCCEEDED && saved) {
                background.execute(() -> publish(updated));
            }
            sweepIfDue();
        }
    }

    private void publish(StoredJob job) {
        if (job.itemId() != null) {
            return;
        }
        try {
            String item = publisher.publish(job.job());
            StoredJob published = job.published(item); // a succeeded job changes no more
            save(published); // on disk first: what GET shows has been saved
            synchronized (this) {
                if (jobs.containsKey(job.job().id())) {
                    jobs.put(job.job().id(), published);
                }
            }
            counters.published();
            LOG.info("generation job {} published as item {}", job.job().id(), item);
        } catch (IOException | RuntimeException e) {
            counters.publishFailed();
            LOG.error("generation job {} succeeded but could not be published to the catalogue (retried at the next start): {}",
                    job.job().id(), e.getMessage());
        }
    }

    private boolean save(StoredJob job) {
        try {
            store.save(job);
            return true;
        } catch (IOException | RuntimeException e) {
            saveFailures.incrementAndGet();
            LOG.error("generation job {} could not be saved: {}", job.job().id(), e.getMessage());
            return false;
        }
    }

    /** Deletes finished jobs past the retention at most once an hour, off the caller's path. */
    private void sweepIfDue() {
        long now = clockMillis.getAsLong();
        synchronized (this) {
            if (now - lastSweepMillis < SWEEP_INTERVAL_MILLIS) {
                return;
            }
            lastSweepMillis = now;
        }
        background.execute(() -> {
            try {
                sweep(store.loadAll());
            } catch (IOException | RuntimeException e) {
                LOG.warn("generation job retention sweep failed: {}", e.getMessage());
            }
        });
    }

    /** Deletes the finished jobs among {@code stored} that ended longer ago than the retention; returns the rest. */
    private List<StoredJob> sweep(List<StoredJob> stored) {
        long cutoff = clockMillis.getAsLong() - retention.toMillis();
        List<StoredJob> kept = new ArrayList<>();
        for (StoredJob job : stored) {
            JobSnapshot snapshot = job.job();
            if (snapshot.state().isFinal() && snapshot.finishedMillis() > 0 && snapshot.finishedMillis() < cutoff) {
                try {
                    store.delete(snapshot.id());
                    forget(job);
                    continue;
                } catch (IOException e) {
                    LOG.warn("generation job {} past the retention could not be deleted: {}", snapshot.id(), e.getMessage());
                }
            }
            kept.add(job);
        }
        return kept;
    }

    private synchronized void forget(StoredJob job) {
        jobs.remove(job.job().id());
        if (job.idempotencyKey() != null) {
            byKey.remove(job.idempotencyKey(), job.job().id());
        }
    }

    /** Remembers a job and its key, forgetting the oldest finished jobs beyond the bound. */
    private void remember(StoredJob job) {
        jobs.put(job.job().id(), job);
        if (job.idempotencyKey() != null) {
            byKey.put(job.idempotencyKey(), job.job().id());
        }
        var oldest = jobs.values().iterator();
        while (jobs.size() > maxRemembered && oldest.hasNext()) {
            StoredJob candidate = oldest.next();
            if (candidate.job().state().isFinal()) {
                oldest.remove();
                if (candidate.idempotencyKey() != null) {
                    byKey.remove(candidate.idempotencyKey(), candidate.job().id());
                }
            }
        }
    }
}

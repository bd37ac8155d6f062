package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.supply.ClusterSupply;
import dev.feedserver.ranking.supply.ClusterSupplySnapshot;
import dev.feedserver.ranking.supply.SupplyPlanner;
import dev.feedserver.ranking.supply.SupplyRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the loop between the feed and generation: every interval it reads engagement and fresh
 * inventory per latent cluster ({@link ClusterSupply}), asks the {@link SupplyPlanner} which
 * clusters are engaged but short of fresh content (within its hourly budget, skipping clusters
 * that already have a job), and files a generation job for each. Finished jobs become catalogue
 * items, whose engagement then counts toward their cluster in the next round.
 *
 * <p>Threading: one {@code supply-planner} thread runs the rounds; {@link #runOnce} may also be
 * called directly (tests). Lifecycle: {@link #start} once, {@link #close} stops the thread.
 */
public final class SupplyLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupplyLoop.class);
    /** Supply jobs yield to jobs people asked for. */
    static final int PRIORITY = -5;

    private final GenerationJobs jobs;
    private final Supplier<FeedModel> model;
    private final SupplyPlanner planner;
    private final ContentFormat format;
    private final Duration interval;
    private final LongSupplier clockMillis;
    private final AtomicLong filed = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private ScheduledExecutorService thread;

    public SupplyLoop(GenerationJobs jobs, Supplier<FeedModel> model, SupplyPlanner planner, ContentFormat format,
                      Duration interval, LongSupplier clockMillis) {
        this.jobs = jobs;
        this.model = model;
        this.planner = planner;
        this.format = format;
        this.interval = interval;
        this.clockMillis = clockMillis;
    }

    /** Starts the rounds, the first after one interval. */
    public synchronized void start() {
        thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("supply-planner").factory());
        thread.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: returns the jobs it filed. */
    public List<String> runOnce() {
        long now = clockMillis.getAsLong();
        ClusterSupplySnapshot snapshot = ClusterSupply.snapshot(model.get(), planner.policy(), now);
        List<SupplyRequest> requests = planner.plan(snapshot, jobs.pendingClusters(), now);
        rounds.incrementAndGet();
        List<String> ids = new java.util.ArrayList<>();
        for (SupplyRequest request : requests) {
            Brief brief = SupplyBriefs.brief(request, format);
            try {
                GenerationJobs.Submitted submitted = jobs.submit(brief, PRIORITY, null);
                ids.add(submitted.job().job().id());
                filed.incrementAndGet();
                LOG.info("supply: filed job {} for cluster {} ({})", submitted.job().job().id(), request.clusterId(),
                        request.reason());
            } catch (GenerationJobs.Refused | java.io.IOException e) {
                LOG.warn("supply: could not file a job for cluster {}: {}", request.clusterId(), e.getMessage());
            }
        }
        return ids;
    }

    /** Jobs filed so far. */
    public long filed() {
        return filed.get();
    }

    /** Rounds run so far. */
    public long rounds() {
        return rounds.get();
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("supply round failed; the next round runs as planned", e);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}

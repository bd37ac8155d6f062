package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.registry.FootprintMeter;
import dev.feedserver.generation.registry.LoadResult;
import dev.feedserver.generation.registry.MallocStats;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.ModelStatsSnapshot;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.scheduler.SchedulerStats;
import dev.feedserver.generation.scheduler.TaskHandle;
import dev.feedserver.server.http.Json;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One policy's run of the {@code scheduler} suite's workload, meant to run in a fresh JVM so
 * that resident-set figures do not inherit another run's heap or allocator state. Calibrates
 * (loads each model once and runs one job on it: measures the footprints and warms up), then
 * submits the whole job list at once, starts the scheduler and waits for every job, sampling
 * the resident set every millisecond. Not thread-safe; one use.
 */
final class SchedulerRun {

    private final SchedulerModels models;
    private final long seed;

    SchedulerRun(SchedulerModels models, long seed) {
        this.models = models;
        this.seed = seed;
    }

    /** Loads every model once (measuring it) and runs one job on each. */
    void calibrate() throws Exception {
        for (RegisteredModel model : models.models()) {
            System.gc();
            LoadResult loaded = model.load();
            try {
                models.job(model.name(), new SplittableRandom(seed)).run(loaded.model(), () -> false);
            } finally {
                loaded.model().close();
            }
        }
    }

    /** Runs {@code jobs} jobs under {@code config}; the result as the suite's JSON. */
    ObjectNode run(String name, SchedulerConfig config, int jobs) throws Exception {
        List<String> mix = new ArrayList<>();
        models.weights().forEach((model, weight) -> {
            for (int i = 0; i < weight; i++) {
                mix.add(model);
            }
        });
        SplittableRandom random = new SplittableRandom(seed);
        System.gc();
        long baseline = FootprintMeter.residentSetBytes();
        long offHeapBaseline = baseline - committedHeap();
        AtomicLong peakRss = new AtomicLong(baseline);
        AtomicLong peakOffHeap = new AtomicLong(offHeapBaseline);
        long mallocBaseline = MallocStats.inUseBytes();
        AtomicLong peakMalloc = new AtomicLong(mallocBaseline);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                long rss = FootprintMeter.residentSetBytes();
                peakRss.accumulateAndGet(rss, Math::max);
                peakOffHeap.accumulateAndGet(rss - committedHeap(), Math::max);
                peakMalloc.accumulateAndGet(MallocStats.inUseBytes(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        SchedulerStats stats;
        try (ModelScheduler scheduler = new ModelScheduler(models.registry(), config)) {
            List<TaskHandle<Integer>> handles = new ArrayList<>(jobs);
            for (int i = 0; i < jobs; i++) {
                String model = mix.get(random.nextInt(mix.size()));
                handles.add(scheduler.submit(model, 0, models.job(model, random)));
            }
            scheduler.start();
            for (TaskHandle<Integer> handle : handles) {
                handle.get(30, TimeUnit.MINUTES);
            }
            stats = scheduler.stats();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode out = Json.object();
        out.put("policy", name).put("loads", stats.totalLoads()).put("unloads", stats.totalUnloads()).put("seconds", seconds)
                .put("peak_charged_bytes", stats.peakResidentBytes())
                .put("peak_rss_growth_bytes", baseline < 0 ? -1 : peakRss.get() - baseline)
                .put("peak_offheap_growth_bytes", baseline < 0 ? -1 : peakOffHeap.get() - offHeapBaseline)
                .put("peak_malloc_in_use_growth_bytes", mallocBaseline < 0 ? -1 : peakMalloc.get() - mallocBaseline);
        ObjectNode perModel = out.putObject("models");
        for (ModelStatsSnapshot m : stats.models()) {
            perModel.putObject(m.model()).put("loads", m.loads()).put("tasks", m.tasksCompleted()).put("failed", m.tasksFailed())
                    .put("busy_ms", m.busyNanos() / 1e6).put("queue_wait_ms", m.queueWaitNanos() / 1e6)
                    .put("load_ms", m.loadNanos() / 1e6).put("footprint_bytes", Math.max(m.estimateBytes(), m.measuredBytes()));
        }
        return out;
    }

    private static long committedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}

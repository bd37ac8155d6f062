package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A workload whose models together need more than the budget completes, and the peak stays
 * within the budget: in the scheduler's own accounting and, on Linux, in the process's
 * resident set (the test models really allocate and touch their memory).
 */
class BudgetWorkloadTest {

    private static final long MODEL_BYTES = 48 * MIB;
    private static final int MODELS = 5;
    private static final long BUDGET = 112 * MIB; // two models at a time, of five
    /** Allowance for the JVM's own growth during the run (heap, code cache, thread stacks). */
    private static final long RSS_SLACK = 40 * MIB;

    @Test
    void modelsOverTheBudgetRunWithinIt() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        for (int m = 0; m < MODELS; m++) {
            TestModels.register(registry, "m" + m, MODEL_BYTES);
        }
        assertTrue(MODELS * MODEL_BYTES > BUDGET + RSS_SLACK, "the models must not fit together, or the RSS check proves nothing");
        SchedulerConfig config = SchedulerConfig.defaults().withBudgetBytes(BUDGET).withWorkers(2).withAgingStarts(8);

        System.gc();
        RssSampler rss = RssSampler.available() ? RssSampler.start(500) : null;
        long baselineRss = rss == null ? -1 : rss.current();

        List<TaskHandle<String>> handles = new ArrayList<>();
        long afterRss = -1;
        try (ModelScheduler scheduler = new ModelScheduler(registry, config)) {
            scheduler.start();
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 120; i++) {
                String model = "m" + random.nextInt(MODELS);
                handles.add(scheduler.submit(model, 0, (loaded, context) -> {
                    loaded.as(OffHeapModel.class).touch();
                    if (rss != null) {
                        rss.sample(); // at least one sample while a model is surely resident
                    }
                    Thread.sleep(1);
                    return model;
                }));
            }
            for (TaskHandle<String> handle : handles) {
                handle.get(60, TimeUnit.SECONDS);
            }
            SchedulerStats stats = scheduler.stats();
            assertTrue(stats.peakResidentBytes() <= BUDGET, "peak " + stats.peakResidentBytes() + " over budget " + BUDGET);
            assertTrue(stats.peakResidentBytes() >= MODEL_BYTES, "something was resident");
            assertEquals(120, stats.models().stream().mapToLong(ModelStatsSnapshot::tasksCompleted).sum());
            assertTrue(stats.totalLoads() >= MODELS, "every model loaded at least once: " + stats.totalLoads());
            assertTrue(stats.totalUnloads() >= MODELS - 2, "models were unloaded to make room: " + stats.totalUnloads());
            for (ModelStatsSnapshot model : stats.models()) {
                assertEquals(MODEL_BYTES, model.peakResidentBytes(), model.model());
                assertEquals(MODEL_BYTES, model.measuredBytes(), "the model reported its size: " + model.model());
            }
        } finally {
            if (rss != null) {
                afterRss = rss.current(); // the scheduler is closed by now: no model is resident
                rss.close();
            }
        }
        assertEquals(0, OffHeapModel.LIVE.get(), "close unloaded every model");
        if (rss != null) {
            long growth = rss.peak() - baselineRss;
            assertTrue(growth <= BUDGET + RSS_SLACK, "resident set grew " + (growth >> 20) + " MiB, budget "
                    + (BUDGET >> 20) + " MiB + " + (RSS_SLACK >> 20) + " MiB slack");
            // Sanity check that the sampler sees model memory at all. Within a JVM shared with other
            // tests the resident set also shrinks meanwhile (heap uncommitted, freed native memory
            // returned), so measure against the lower of the figures before and after the run.
            long floor = Math.min(baselineRss, afterRss);
            long seen = rss.peak() - floor;
            assertTrue(seen >= MODEL_BYTES / 2, "the sampler saw the models' memory: " + (seen >> 20) + " MiB above the floor");
        }
    }
}

package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Grouping queued work by model loads each model once where first-come-first-served reloads; light models go first. */
class GroupingTest {

    @Test
    void groupingLoadsFewerTimesThanFirstComeFirstServed() throws Exception {
        long grouped = loadsFor(SchedulerConfig.Policy.GROUPED);
        long fifo = loadsFor(SchedulerConfig.Policy.FIFO);
        assertEquals(3, grouped, "one load per model");
        assertEquals(60, fifo, "interleaved tasks with room for one model: a load per task");
    }

    /** 60 tasks round-robin over three models, room for one, all queued before the workers start. */
    private static long loadsFor(SchedulerConfig.Policy policy) throws Exception {
        ModelRegistry registry = new ModelRegistry();
        for (String name : List.of("a", "b", "c")) {
            TestModels.register(registry, name, 4 * MIB);
        }
        SchedulerConfig config = new SchedulerConfig(6 * MIB, 1, 1_000, policy);
        try (ModelScheduler scheduler = new ModelScheduler(registry, config)) {
            List<TaskHandle<String>> handles = new ArrayList<>();
            List<String> order = TestModels.newOrder();
            for (int i = 0; i < 60; i++) {
                String model = List.of("a", "b", "c").get(i % 3);
                handles.add(scheduler.submit(model, 0, TestModels.recording(order, model)));
            }
            scheduler.start();
            for (TaskHandle<String> handle : handles) {
                handle.get(30, TimeUnit.SECONDS);
            }
            assertTrue(scheduler.stats().peakResidentBytes() <= config.budgetBytes());
            return scheduler.stats().totalLoads();
        }
    }

    @Test
    void lightModelsRunFirstAndTheHeavyOneAfterAnUnload() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "heavy", 8 * MIB);
        TestModels.register(registry, "light", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(9 * MIB, 1, 1_000, SchedulerConfig.Policy.GROUPED))) {
            List<String> order = TestModels.newOrder();
            List<TaskHandle<String>> handles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                handles.add(scheduler.submit("heavy", 0, TestModels.recording(order, "heavy")));
                handles.add(scheduler.submit("light", 0, TestModels.recording(order, "light")));
            }
            scheduler.start();
            for (TaskHandle<String> handle : handles) {
                handle.get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("light", "light", "light", "heavy", "heavy", "heavy"), order);
            SchedulerStats stats = scheduler.stats();
            assertEquals(2, stats.totalLoads());
            ModelStatsSnapshot light = stats.models().stream().filter(m -> m.model().equals("light")).findFirst().orElseThrow();
            assertEquals(1, light.unloads(), "light was unloaded before heavy loaded (both do not fit)");
        }
    }
}

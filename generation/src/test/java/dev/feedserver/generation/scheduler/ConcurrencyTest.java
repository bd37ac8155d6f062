package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.generation.registry.ModelRegistry;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Models that fit together are resident together and run at once: each task waits at a
 * barrier that only opens when the other task is running too (it times out otherwise).
 */
class ConcurrencyTest {

    @Test
    void twoLightModelsRunConcurrently() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 2 * MIB);
        TestModels.register(registry, "b", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 2, 64, SchedulerConfig.Policy.GROUPED))) {
            CyclicBarrier both = new CyclicBarrier(2);
            TaskHandle<Integer> a = scheduler.submit("a", 0, (m, c) -> both.await(20, TimeUnit.SECONDS));
            TaskHandle<Integer> b = scheduler.submit("b", 0, (m, c) -> both.await(20, TimeUnit.SECONDS));
            scheduler.start();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            SchedulerStats stats = scheduler.stats();
            assertEquals(4 * MIB, stats.peakResidentBytes(), "both were resident at once");
            assertEquals(2, stats.totalLoads());
        }
    }

    @Test
    void aThreadSafeModelRunsSeveralTasksOnOneInstance() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "shared", 2 * MIB, 3);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 3, 64, SchedulerConfig.Policy.GROUPED))) {
            CyclicBarrier all = new CyclicBarrier(3);
            var handles = new java.util.ArrayList<TaskHandle<Integer>>();
            for (int i = 0; i < 3; i++) {
                handles.add(scheduler.submit("shared", 0, (m, c) -> all.await(20, TimeUnit.SECONDS)));
            }
            scheduler.start();
            for (TaskHandle<Integer> handle : handles) {
                handle.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, scheduler.stats().totalLoads());
        }
    }
}

package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A model that cannot load fails its tasks with a clear error; everything else carries on. */
class LoadFailureTest {

    @Test
    void aFailingLoaderFailsItsTasksAndTheSchedulerCarriesOn() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "good", 2 * MIB);
        registry.register(TestModels.spec("broken", 1), new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec spec) throws IOException {
                throw new IOException("weights file truncated at byte 1024");
            }

            @Override
            public long estimateBytes(ModelSpec spec) {
                return MIB;
            }
        });
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 2, 64, SchedulerConfig.Policy.GROUPED))) {
            List<TaskHandle<String>> broken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                broken.add(scheduler.submit("broken", 5, (m, c) -> "never"));
            }
            TaskHandle<String> good = scheduler.submit("good", 0, (m, c) -> "fine");
            scheduler.start();
            for (TaskHandle<String> handle : broken) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> handle.get(30, TimeUnit.SECONDS));
                ModelLoadException cause = assertInstanceOf(ModelLoadException.class, e.getCause());
                assertEquals("broken", cause.model());
                assertTrue(cause.getMessage().contains("model 'broken' failed to load"), cause.getMessage());
                assertTrue(cause.getMessage().contains("weights file truncated at byte 1024"), cause.getMessage());
                assertInstanceOf(IOException.class, cause.getCause());
            }
            assertEquals("fine", good.get(30, TimeUnit.SECONDS));
            assertEquals("later", scheduler.submit("good", 0, (m, c) -> "later").get(30, TimeUnit.SECONDS));
            SchedulerStats stats = scheduler.stats();
            ModelStatsSnapshot b = stats.models().stream().filter(m -> m.model().equals("broken")).findFirst().orElseThrow();
            assertTrue(b.loadFailures() >= 1);
            assertEquals(3, b.tasksFailed());
            assertEquals(0, b.residentBytes(), "the failed load's reservation was returned");
            assertEquals(2 * MIB, stats.residentBytes(), "only 'good' is charged");
        }
    }

    @Test
    void aModelLargerThanTheBudgetFailsAtOnce() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "huge", 16 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 1, 64, SchedulerConfig.Policy.GROUPED))) {
            TaskHandle<String> handle = scheduler.submit("huge", 0, (m, c) -> "never");
            ExecutionException e = assertThrows(ExecutionException.class, () -> handle.get(1, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("more than the whole budget"), e.getCause().getMessage());
        }
    }

    @Test
    void aModelMeasuringOverItsReservationIsClosedWhenNothingCanMakeRoom() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        // estimated at 2 MiB, but once loaded it reports 12 MiB: more than the 8 MiB budget
        registry.register(TestModels.spec("liar", 1), new TestModels.Loader(2 * MIB, 12 * MIB));
        TestModels.register(registry, "good", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 1, 64, SchedulerConfig.Policy.GROUPED))) {
            scheduler.start();
            TaskHandle<String> handle = scheduler.submit("liar", 0, (m, c) -> "never");
            ExecutionException e = assertThrows(ExecutionException.class, () -> handle.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("measured 12582912 bytes once loaded"), e.getCause().getMessage());
            assertEquals(0, OffHeapModel.LIVE.get() - liveGood(scheduler), "the oversized instance was closed");
            assertEquals("fine", scheduler.submit("good", 0, (m, c) -> "fine").get(30, TimeUnit.SECONDS));
            ExecutionException again = assertThrows(ExecutionException.class,
                    () -> scheduler.submit("liar", 0, (m, c) -> "never").get(1, TimeUnit.SECONDS));
            assertTrue(again.getCause().getMessage().contains("more than the whole budget"), "planned with the measured figure now");
            assertTrue(scheduler.stats().peakResidentBytes() <= 8 * MIB);
        }
    }

    @Test
    void aModelMeasuringOverItsReservationIsReloadedWithTheMeasuredFigure() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        // estimated at 2 MiB, reports 5 MiB: fits the 8 MiB budget alone, not beside the busy 4 MiB model
        registry.register(TestModels.spec("under", 1), new TestModels.Loader(2 * MIB, 5 * MIB));
        TestModels.register(registry, "busy", 4 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 2, 64, SchedulerConfig.Policy.GROUPED))) {
            scheduler.start();
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            TaskHandle<Boolean> hold = scheduler.submit("busy", 0, (m, c) -> {
                running.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            assertTrue(running.await(30, TimeUnit.SECONDS));
            TaskHandle<String> task = scheduler.submit("under", 0, (m, c) -> "ran");
            while (registry.get("under").measuredBytes() < 0) {
                Thread.onSpinWait(); // the first load happened and measured 5 MiB
            }
            Thread.sleep(50);
            assertTrue(!task.isDone(), "it waits for room instead of failing");
            release.countDown();
            assertTrue(hold.get(30, TimeUnit.SECONDS));
            assertEquals("ran", task.get(30, TimeUnit.SECONDS));
            ModelStatsSnapshot under = scheduler.stats().models().stream().filter(m -> m.model().equals("under")).findFirst().orElseThrow();
            assertEquals(2, under.loads(), "loaded, found too big beside 'busy', loaded again once 'busy' was evicted");
            assertEquals(0, under.loadFailures());
            assertTrue(scheduler.stats().peakResidentBytes() <= 8 * MIB);
        }
    }

    private static int liveGood(ModelScheduler scheduler) {
        return (int) scheduler.stats().models().stream().filter(m -> m.model().equals("good") && m.residentBytes() > 0).count();
    }
}

package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.ModelRegistry;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Cancelling a queued task removes it; cancelling a running one stops it and frees its model for others. */
class CancellationTest {

    @Test
    void aCancelledQueuedTaskNeverRuns() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 1, 64, SchedulerConfig.Policy.GROUPED))) {
            CountDownLatch release = new CountDownLatch(1);
            TaskHandle<Boolean> gate = scheduler.submit("a", 0, (m, c) -> release.await(30, TimeUnit.SECONDS));
            AtomicBoolean ran = new AtomicBoolean();
            TaskHandle<String> doomed = scheduler.submit("a", 0, (m, c) -> {
                ran.set(true);
                return "ran";
            });
            TaskHandle<String> after = scheduler.submit("a", 0, (m, c) -> "after");
            scheduler.start();
            while (scheduler.stats().running() == 0) {
                Thread.onSpinWait(); // the gate holds the only worker
            }
            assertTrue(doomed.cancel(false));
            assertEquals(1, scheduler.stats().queued(), "only 'after' is left in the queue");
            release.countDown();
            assertTrue(gate.get(30, TimeUnit.SECONDS));
            assertEquals("after", after.get(30, TimeUnit.SECONDS));
            assertTrue(doomed.isCancelled());
            assertThrows(CancellationException.class, doomed::join);
            assertFalse(ran.get());
            assertEquals(1, scheduler.stats().models().getFirst().tasksCancelled());
        }
    }

    @Test
    void cancellingARunningTaskFreesItsModelForTheNextLoad() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 6 * MIB);
        TestModels.register(registry, "b", 6 * MIB);
        // room for one model: b can only load once a's endless task is cancelled
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 2, 64, SchedulerConfig.Policy.GROUPED))) {
            scheduler.start();
            CountDownLatch running = new CountDownLatch(1);
            TaskHandle<String> endless = scheduler.submit("a", 0, (m, context) -> {
                running.countDown();
                while (!context.cancelled()) {
                    Thread.onSpinWait();
                }
                return "stopped";
            });
            assertTrue(running.await(30, TimeUnit.SECONDS));
            TaskHandle<String> next = scheduler.submit("b", 0, (m, c) -> "b ran");
            Thread.sleep(100);
            assertFalse(next.isDone(), "b must wait: a holds the budget and is busy");
            assertTrue(endless.cancel(true));
            assertEquals("b ran", next.get(30, TimeUnit.SECONDS));
            assertTrue(endless.isCancelled());
            SchedulerStats stats = scheduler.stats();
            ModelStatsSnapshot a = stats.models().stream().filter(m -> m.model().equals("a")).findFirst().orElseThrow();
            assertEquals(1, a.unloads(), "a was evicted once its task stopped");
            assertEquals(1, a.tasksCancelled());
            assertEquals(0, stats.running());
        }
    }

    @Test
    void anInterruptedTaskStopsAndTheWorkerCarriesOn() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 1, 64, SchedulerConfig.Policy.GROUPED))) {
            scheduler.start();
            CountDownLatch running = new CountDownLatch(1);
            TaskHandle<String> sleeper = scheduler.submit("a", 0, (m, c) -> {
                running.countDown();
                Thread.sleep(60_000); // not polling: only the interrupt stops it
                return "woke";
            });
            assertTrue(running.await(30, TimeUnit.SECONDS));
            sleeper.cancel(true);
            TaskHandle<Boolean> next = scheduler.submit("a", 0, (m, c) -> {
                Thread.sleep(10); // would throw if the cancel's interrupt leaked into this task
                return Thread.currentThread().isInterrupted();
            });
            assertFalse(next.get(30, TimeUnit.SECONDS));
        }
    }
}

package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads submit and cancel at once, over models of several sizes, one of which fails to
 * load now and then. Checks the invariants: the budget is never exceeded (sampled all along),
 * every handle completes, every task is accounted for exactly once, and closing frees every
 * model.
 */
class SchedulerStressTest {

    private static final int THREADS = 8;
    private static final int TASKS_PER_THREAD = 150;
    private static final long BUDGET = 20 * MIB;

    @Test
    void invariantsHoldUnderConcurrentSubmitAndCancel() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        long[] sizes = {MIB, 2 * MIB, 3 * MIB, 5 * MIB, 8 * MIB, 12 * MIB};
        for (int m = 0; m < sizes.length; m++) {
            TestModels.register(registry, "m" + m, sizes[m], 1 + m % 2);
        }
        AtomicLong flakyLoads = new AtomicLong();
        TestModels.Loader healthy = new TestModels.Loader(4 * MIB, 4 * MIB);
        registry.register(TestModels.spec("flaky", 1), new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec spec) {
                if (flakyLoads.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("flaky load " + flakyLoads.get());
                }
                return healthy.load(spec);
            }

            @Override
            public long estimateBytes(ModelSpec spec) {
                return healthy.estimateBytes(spec);
            }
        });
        List<String> names = registry.names();
        ConcurrentLinkedQueue<TaskHandle<Long>> handles = new ConcurrentLinkedQueue<>();
        AtomicBoolean monitoring = new AtomicBoolean(true);
        AtomicLong worstSeen = new AtomicLong();
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(BUDGET, 4, 16, SchedulerConfig.Policy.GROUPED))) {
            scheduler.start();
            Thread monitor = Thread.ofPlatform().start(() -> {
                while (monitoring.get()) {
                    worstSeen.accumulateAndGet(scheduler.stats().residentBytes(), Math::max);
                }
            });
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try {
                        for (int i = 0; i < TASKS_PER_THREAD; i++) {
                            String model = names.get(random.nextInt(names.size()));
                            int spin = random.nextInt(200);
                            TaskHandle<Long> handle = scheduler.submit(model, random.nextInt(3), (m, context) -> {
                                long sum = m.as(OffHeapModel.class).touch();
                                for (int k = 0; k < spin && !context.cancelled(); k++) {
                                    Thread.onSpinWait();
                                }
                                return sum;
                            });
                            handles.add(handle);
                            if (random.nextInt(4) == 0) {
                                if (random.nextBoolean()) {
                                    Thread.yield();
                                }
                                handle.cancel(random.nextBoolean());
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            for (TaskHandle<Long> handle : handles) {
                try {
                    handle.get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("a task never completed", e);
                } catch (Exception e) {
                    // cancelled or failed: both complete the handle
                }
                assertTrue(handle.isDone());
            }
            monitoring.set(false);
            monitor.join();
            SchedulerStats stats = scheduler.stats();
            assertTrue(worstSeen.get() <= BUDGET, "saw " + worstSeen.get() + " charged, budget " + BUDGET);
            assertTrue(stats.peakResidentBytes() <= BUDGET, "peak " + stats.peakResidentBytes());
            assertEquals(0, stats.queued());
            assertEquals(0, stats.running());
            long accounted = stats.models().stream()
                    .mapToLong(m -> m.tasksCompleted() + m.tasksFailed() + m.tasksCancelled()).sum();
            assertEquals(THREADS * TASKS_PER_THREAD, accounted, "every task counted once: " + stats.models());
            long cancelled = handles.stream().filter(TaskHandle::isCancelled).count();
            assertTrue(cancelled > 0, "the run cancelled some tasks");
            assertTrue(stats.totalUnloads() > 0, "the budget forced unloads");
        }
        assertEquals(0, OffHeapModel.LIVE.get(), "close freed every model");
        assertEquals(0, OffHeapModel.LIVE_BYTES.get());
    }
}

package dev.feedserver.generation.scheduler;

import static dev.feedserver.generation.scheduler.TestModels.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Higher priorities run first, across models too; the starvation rule bounds how long grouping can postpone a task. */
class PriorityTest {

    @Test
    void higherPriorityRunsFirstEvenOnAModelNotYetLoaded() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 2 * MIB);
        TestModels.register(registry, "b", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry, new SchedulerConfig(8 * MIB, 1, 1_000, SchedulerConfig.Policy.GROUPED))) {
            List<String> order = TestModels.newOrder();
            CountDownLatch release = new CountDownLatch(1);
            List<TaskHandle<?>> handles = new ArrayList<>();
            handles.add(scheduler.submit("a", 0, (m, c) -> release.await(30, TimeUnit.SECONDS)));
            scheduler.start();
            for (int i = 0; i < 3; i++) {
                handles.add(scheduler.submit("a", 1, TestModels.recording(order, "a-low")));
                handles.add(scheduler.submit("a", 3, TestModels.recording(order, "a-high")));
            }
            handles.add(scheduler.submit("b", 5, TestModels.recording(order, "b-top")));
            release.countDown();
            for (TaskHandle<?> handle : handles) {
                handle.get(30, TimeUnit.SECONDS);
            }
            // b is absent while a is resident, but its task outranks everything queued on a
            assertEquals(List.of("b-top", "a-high", "a-high", "a-high", "a-low", "a-low", "a-low"), order);
        }
    }

    @Test
    void agingBoundsHowLongNewerWorkCanPostponeATask() throws Exception {
        assertEquals(STREAM + 1, positionOfLoneTask(1_000_000), "without aging, grouping runs the whole stream on a first");
        int bounded = positionOfLoneTask(5);
        // b starts 9 levels below; it gains one level per 5 starts: (9 + 1) * 5 starts at most, plus the one in flight
        assertTrue(bounded <= (9 + 1) * 5 + 2, "aging must let the lone task run; it ran at position " + bounded);
        assertTrue(bounded > 5, "a lower priority still waits a while: position " + bounded);
    }

    private static final int STREAM = 200;

    /**
     * Where (1-based) a priority-0 task on b ran among a stream of priority-9 tasks on a, which
     * is resident: each task on a submits the next while it runs, so newer work on a is always
     * queued.
     */
    private static int positionOfLoneTask(int agingStarts) throws Exception {
        ModelRegistry registry = new ModelRegistry();
        TestModels.register(registry, "a", 2 * MIB);
        TestModels.register(registry, "b", 2 * MIB);
        try (ModelScheduler scheduler = new ModelScheduler(registry,
                new SchedulerConfig(8 * MIB, 1, agingStarts, SchedulerConfig.Policy.GROUPED))) {
            List<String> order = TestModels.newOrder();
            CountDownLatch streamDone = new CountDownLatch(1);
            TaskHandle<String> lone = scheduler.submit("b", 0, TestModels.recording(order, "b"));
            submitStream(scheduler, order, STREAM, streamDone);
            scheduler.start();
            assertTrue(streamDone.await(30, TimeUnit.SECONDS));
            lone.get(30, TimeUnit.SECONDS);
            return order.indexOf("b") + 1;
        }
    }

    private static void submitStream(ModelScheduler scheduler, List<String> order, int left, CountDownLatch done) {
        scheduler.submit("a", 9, (m, c) -> {
            order.add("a");
            if (left > 1) {
                submitStream(scheduler, order, left - 1, done);
            } else {
                done.countDown();
            }
            return "a";
        });
    }
}

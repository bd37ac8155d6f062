package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.scheduler.ModelScheduler;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Step 2 of the two-step orchestration: runs a {@link ContentPlan} through the
 * {@link ModelScheduler}. Every stage whose inputs have succeeded is submitted to its model at
 * once, so independent stages run in parallel (as far as the memory budget and each model's
 * concurrency allow); each gets only the outputs it declares, is checked against its
 * constraints, and is retried with the violations stated up to its attempt limit.
 *
 * <p>Threading: thread-safe; jobs run on scheduler workers and on the callback executor, which
 * must not be a scheduler worker. Lifecycle: holds no resources; the scheduler and the callback
 * executor belong to the caller.
 */
public final class PlanExecutor {

    private final ModelScheduler scheduler;
    private final Map<StageKind, StageRunner> runners = new EnumMap<>(StageKind.class);
    private final Executor callbacks;
    private final LongSupplier clockMillis;

    /**
     * @param runners   one runner per stage kind a plan may use
     * @param callbacks runs completion callbacks and model-free stages (a virtual-thread executor suits)
     */
    public PlanExecutor(ModelScheduler scheduler, List<StageRunner> runners, Executor callbacks,
                        LongSupplier clockMillis) {
        this.scheduler = scheduler;
        for (StageRunner runner : runners) {
            if (this.runners.put(runner.kind(), runner) != null) {
                throw new IllegalArgumentException("two runners for stage kind " + runner.kind());
            }
        }
        this.callbacks = callbacks;
        this.clockMillis = clockMillis;
    }

    /**
     * Starts (or, for a snapshot from before a restart, resumes) a job. Media outputs go to
     * {@code workDir}, which must exist.
     *
     * @throws IllegalArgumentException if the plan uses a stage kind without a runner
     */
    public RunningJob start(JobSnapshot job, Path workDir, JobListener listener) {
        for (StageSpec stage : job.plan().stages()) {
            if (!runners.containsKey(stage.kind())) {
                throw new IllegalArgumentException("no runner for stage " + stage.id() + " of kind " + stage.kind());
            }
        }
        RunningJob running = new RunningJob(job, workDir, scheduler, runners, callbacks, clockMillis, listener);
        running.start();
        return running;
    }
}

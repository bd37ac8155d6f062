package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job being executed by {@link PlanExecutor}: the state machine of its stages.
 *
 * <p>Threading: thread-safe; every transition happens under this object's lock, and the
 * {@link JobListener} is called under it, in order. Lifecycle: ends when every stage is final
 * or on {@link #cancel}; {@link #done()} completes then with the final snapshot.
 */
public final class RunningJob {
    private static final Logger LOG = LoggerFactory.getLogger(RunningJob.class);

    private final Path workDir;
    private final ModelScheduler scheduler;
    private final Map<StageKind, StageRunner> runners;
    private final Executor callbacks;
    private final LongSupplier clockMillis;
    private final JobListener listener;
    private final CompletableFuture<JobSnapshot> done = new CompletableFuture<>();
    private final Map<String, CompletableFuture<?>> inFlight = new HashMap<>();
    private JobSnapshot job;

    RunningJob(JobSnapshot job, Path workDir, ModelScheduler scheduler, Map<StageKind, StageRunner> runners,
               Executor callbacks, LongSupplier clockMillis, JobListener listener) {
        this.job = job;
        this.workDir = workDir;
        this.scheduler = scheduler;
        this.runners = runners;
        this.callbacks = callbacks;
        this.clockMillis = clockMillis;
        this.listener = listener;
    }

    /** The job as it stands now. */
    public synchronized JobSnapshot snapshot() {
        return job;
    }

    /** Completes with the final snapshot when the job ends (succeeded, failed or cancelled). */
    public CompletableFuture<JobSnapshot> done() {
        return done;
    }

    /** Cancels queued and running stages; a job already final stays as it is. Returns the snapshot after. */
    public synchronized JobSnapshot cancel() {
        tryCancel();
        return job;
    }

    /** Cancels the job if it is not final yet; returns whether this call cancelled it. */
    public synchronized boolean tryCancel() {
        if (job.state().isFinal()) {
            return false;
        }
        List<StageProgress> stages = new ArrayList<>(job.stages());
        for (int i = 0; i < stages.size(); i++) {
            if (!stages.get(i).state().isFinal()) {
                stages.set(i, stages.get(i).with(StageState.CANCELLED, "the job was cancelled"));
            }
        }
        for (CompletableFuture<?> task : inFlight.values()) {
            task.cancel(true);
        }
        inFlight.clear();
        finish(JobState.CANCELLED, stages, "cancelled");
        return true;
    }

    synchronized void start() {
        replace(JobState.RUNNING, job.stages(), null);
        advance();
    }

    /** Starts every pending stage whose inputs succeeded; skips those whose inputs cannot; ends the job when nothing is left. */
    private void advance() {
        if (job.state().isFinal()) {
            return;
        }
        List<StageProgress> stages = new ArrayList<>(job.stages());
        List<Integer> startable = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).state() != StageState.PENDING || startable.contains(i)) {
                    continue;
                }
                String blocked = blockedBy(job.plan().stages().get(i), stages);
                if (blocked != null) {
                    stages.set(i, stages.get(i).with(StageState.SKIPPED, "not run: stage " + blocked + " did not succeed"));
                    changed = true;
                } else if (inputsReady(job.plan().stages().get(i), stages)) {
                    startable.add(i);
                }
            }
        }
        for (int i : startable) {
            stages.set(i, stages.get(i).with(StageState.RUNNING, null));
        }
        if (startable.isEmpty() && stages.stream().allMatch(s -> s.state().isFinal())) {
            boolean succeeded = stages.stream().allMatch(s -> s.state() == StageState.SUCCEEDED);
            finish(succeeded ? JobState.SUCCEEDED : JobState.FAILED, stages, succeeded ? null : firstError(stages));
            return;
        }
        replace(JobState.RUNNING, stages, null);
        List<String> unstartable = new ArrayList<>();
        for (int i : startable) {
            StageSpec stage = job.plan().stages().get(i);
            try {
                submit(stage);
            } catch (RuntimeException e) { // e.g. its model is not registered (any more)
                unstartable.add(stage.id() + ": " + message(e));
            }
        }
        if (!unstartable.isEmpty()) {
            List<StageProgress> failed = new ArrayList<>(job.stages());
            for (String entry : unstartable) {
                String id = entry.substring(0, entry.indexOf(':'));
                int index = job.plan().indexOf(id);
                failed.set(index, failed.get(index).with(StageState.FAILED, "stage " + id + " could not be started: "
                        + entry.substring(id.length() + 2)));
            }
            replace(JobState.RUNNING, failed, null);
            advance();
        }
    }

    private void submit(StageSpec stage) {
        StageProgress progress = job.stage(stage.id());
        StageCall call = new StageCall(job.brief(), stage, inputsOf(stage), progress.attempts().size() + 1,
                earlierViolations(progress), tokenAllowance(), workDir, job.seed());
        StageRunner runner = runners.get(stage.kind());
        CompletableFuture<TimedResult> task;
        if (stage.model() == null) {
            task = CompletableFuture.supplyAsync(() -> TimedResult.run(runner, call, null, () -> false), callbacks);
        } else {
            task = scheduler.submit(stage.model(), job.priority(),
                    (LoadedModel model, TaskContext context) -> TimedResult.run(runner, call, model, context));
        }
        inFlight.put(stage.id(), task);
        task.whenCompleteAsync((result, failure) -> attemptDone(stage, call, result, failure), callbacks);
    }

    private synchronized void attemptDone(StageSpec stage, StageCall call, TimedResult result, Throwable failure) {
        if (job.state().isFinal() || inFlight.remove(stage.id()) == null) {
            return; // cancelled meanwhile
        }
        try {
            recordAttempt(stage, call, result, failure);
        } catch (RuntimeException e) {
            // Never leave a job running for ever: a bug or a failing listener ends it, with the reason.
            LOG.error("job {}: handling stage {} failed", job.id(), stage.id(), e);
            if (!job.state().isFinal()) {
                for (CompletableFuture<?> task : inFlight.values()) {
                    task.cancel(true);
                }
                inFlight.clear();
                List<StageProgress> stages = new ArrayList<>(job.stages());
                for (int i = 0; i < stages.size(); i++) {
                    if (!stages.get(i).state().isFinal()) {
                        stages.set(i, stages.get(i).with(StageState.FAILED, "internal error: " + message(e)));
                    }
                }
                finish(JobState.FAILED, stages, "internal error in stage " + stage.id() + ": " + message(e));
            }
        }
    }

    private void recordAttempt(StageSpec stage, StageCall call, TimedResult result, Throwable failure) {
        Throwable cause = unwrap(failure);
        List<StageProgress> stages = new ArrayList<>(job.stages());
        int index = job.plan().indexOf(stage.id());
        StageProgress progress = stages.get(index);
        if (cause != null) { // the scheduler refused or lost the task (e.g. the model failed to load)
            AttemptRecord attempt = new AttemptRecord(call.attempt(), 0, TokenCount.ZERO, List.of(), message(cause));
            stages.set(index, progress.plus(attempt).with(StageState.FAILED, "stage " + stage.id() + ": " + message(cause)));
        } else {
            AttemptRecord attempt = result.toAttempt(call.attempt(), stage.constraints(), workDir);
            progress = progress.plus(attempt);
            if (attempt.accepted()) {
                stages.set(index, progress.succeeded(result.output()));
            } else if (result.fatal() || call.attempt() >= stage.maxAttempts()) {
                stages.set(index, progress.with(StageState.FAILED, attempt.failureText(stage)));
            } else {
                stages.set(index, progress.with(StageState.PENDING, null)); // retried below, violations stated
            }
        }
        replace(JobState.RUNNING, stages, null);
        advance();
    }

    private Map<String, StageOutput> inputsOf(StageSpec stage) {
        Map<String, StageOutput> inputs = new LinkedHashMap<>();
        for (String input : stage.inputs()) {
            inputs.put(input, job.stage(input).output());
        }
        return inputs;
    }

    /** Every violation of the stage's earlier attempts (see {@link Violation#accumulate}). */
    private static List<Violation> earlierViolations(StageProgress progress) {
        List<Violation> all = List.of();
        for (AttemptRecord attempt : progress.attempts()) {
            all = Violation.accumulate(all, attempt.violations());
        }
        return all;
    }

    /** Tokens the text model may still generate for this job. */
    private long tokenAllowance() {
        return Math.max(0, job.brief().tokenBudget() - job.tokens().modelOut());
    }

    private static boolean inputsReady(StageSpec stage, List<StageProgress> stages) {
        return stage.inputs().stream().allMatch(id -> stateOf(id, stages) == StageState.SUCCEEDED);
    }

    private static String blockedBy(StageSpec stage, List<StageProgress> stages) {
        for (String id : stage.inputs()) {
            StageState state = stateOf(id, stages);
            if (state.isFinal() && state != StageState.SUCCEEDED) {
                return id;
            }
        }
        return null;
    }

    private static StageState stateOf(String id, List<StageProgress> stages) {
        for (StageProgress stage : stages) {
            if (stage.id().equals(id)) {
                return stage.state();
            }
        }
        throw new IllegalStateException("no stage " + id);
    }

    private static String firstError(List<StageProgress> stages) {
        for (StageProgress stage : stages) {
            if (stage.state() == StageState.FAILED) {
                return stage.error();
            }
        }
        return "a stage did not succeed";
    }

    private void finish(JobState state, List<StageProgress> stages, String error) {
        replace(state, stages, error);
        done.complete(job);
    }

    private void replace(JobState state, List<StageProgress> stages, String error) {
        long finished = state.isFinal() ? clockMillis.getAsLong() : 0;
        job = new JobSnapshot(job.id(), job.brief(), job.plan(), job.priority(), job.seed(), state, stages, error,
                job.createdMillis(), finished);
        try {
            listener.changed(job);
        } catch (RuntimeException e) {
            LOG.error("job {}: the listener failed on a change; the job goes on", job.id(), e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String message(Throwable cause) {
        if (cause instanceof CancellationException) {
            return "cancelled";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}

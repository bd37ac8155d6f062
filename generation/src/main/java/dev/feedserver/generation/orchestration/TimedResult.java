package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The outcome of one attempt as it left its worker: the result or the error, and how long the
 * attempt kept the worker (and its model) busy. Errors are captured rather than thrown so their
 * busy time is not lost.
 *
 * <p>Threading and lifecycle: an immutable value.
 */
record TimedResult(StageResult result, String error, boolean fatal, long busyNanos) {

    /** Runs the attempt, timing it; cancellation is rethrown so the scheduler sees it. */
    static TimedResult run(StageRunner runner, StageCall call, LoadedModel model, TaskContext context) {
        long start = System.nanoTime();
        try {
            StageResult result = runner.run(call, model, context);
            return new TimedResult(result, null, false, System.nanoTime() - start);
        } catch (CancellationException e) {
            throw e;
        } catch (StageException e) {
            return new TimedResult(null, e.getMessage(), true, System.nanoTime() - start);
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new TimedResult(null, message, false, System.nanoTime() - start);
        }
    }

    StageOutput output() {
        return result.output();
    }

    /** The attempt's record: its output checked against the constraints. */
    AttemptRecord toAttempt(int attempt, StageConstraints constraints, Path workDir) {
        if (error != null) {
            return new AttemptRecord(attempt, busyNanos, TokenCount.ZERO, List.of(), error);
        }
        StageOutput output = result.output();
        List<Violation> violations;
        try {
            violations = output.isText() ? ConstraintChecker.checkText(output.text(), constraints)
                    : ConstraintChecker.checkFile(workDir.resolve(output.file()), constraints);
        } catch (java.io.IOException e) {
            return new AttemptRecord(attempt, busyNanos, result.tokens(), List.of(), "cannot read the output: " + e.getMessage());
        }
        return new AttemptRecord(attempt, busyNanos, result.tokens(), violations, null);
    }
}

package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.AttemptRecord;
import dev.feedserver.generation.orchestration.ConstraintChecker;
import dev.feedserver.generation.orchestration.StageConstraints;
import dev.feedserver.generation.orchestration.StageException;
import dev.feedserver.generation.orchestration.StageResult;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.generation.orchestration.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One node attempt as it left its worker: the result or the error, the messages trimmed from
 * its prompt, and how long it kept the worker busy (timed around the runner, as the two-step
 * executor times its attempts).
 *
 * <p>Threading and lifecycle: an immutable value.
 */
record NodeAttempt(StageResult result, String error, boolean fatal, long busyNanos, int droppedMessages) {

    /** A body of work that may fail. */
    interface Body {
        TextNode.Outcome run() throws Exception;
    }

    /** Runs {@code body}, timing it and capturing its failure. */
    static NodeAttempt run(Body body) {
        long start = System.nanoTime();
        try {
            TextNode.Outcome outcome = body.run();
            return new NodeAttempt(outcome.result(), null, false, System.nanoTime() - start, outcome.droppedMessages());
        } catch (CancellationException e) {
            throw e;
        } catch (StageException e) {
            return new NodeAttempt(null, e.getMessage(), true, System.nanoTime() - start, 0);
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new NodeAttempt(null, message, false, System.nanoTime() - start, 0);
        }
    }

    /** A failure outside the node (the scheduler could not run it): fatal. */
    static NodeAttempt failed(String error) {
        return new NodeAttempt(null, error, true, 0, 0);
    }

    /** The attempt's record, its output checked by the same {@link ConstraintChecker} the executor uses. */
    AttemptRecord toRecord(int attempt, StageConstraints constraints, Path workDir) {
        if (error != null) {
            return new AttemptRecord(attempt, busyNanos, TokenCount.ZERO, List.of(), error);
        }
        List<Violation> violations;
        try {
            violations = result.output().isText() ? ConstraintChecker.checkText(result.output().text(), constraints)
                    : ConstraintChecker.checkFile(workDir.resolve(result.output().file()), constraints);
        } catch (IOException e) {
            return new AttemptRecord(attempt, busyNanos, result.tokens(), List.of(), "cannot read the output: " + e.getMessage());
        }
        return new AttemptRecord(attempt, busyNanos, result.tokens(), violations, null);
    }
}

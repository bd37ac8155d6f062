package dev.feedserver.generation.orchestration;

import java.util.ArrayList;
import java.util.List;

/**
 * One stage of a job as it stands: its state, every attempt so far, its output once it
 * succeeded, and the error that failed it.
 *
 * <p>Threading and lifecycle: an immutable value; the executor replaces it on every change.
 *
 * @param id       the stage id
 * @param state    where it stands
 * @param attempts finished attempts, oldest first
 * @param output   the accepted output, or null
 * @param error    why it failed, was skipped or cancelled, or null
 */
public record StageProgress(String id, StageState state, List<AttemptRecord> attempts, StageOutput output,
                            String error) {

    /** Copies the attempts. */
    public StageProgress {
        attempts = List.copyOf(attempts);
    }

    /** A stage not started yet. */
    public static StageProgress pending(String id) {
        return new StageProgress(id, StageState.PENDING, List.of(), null, null);
    }

    /** This stage in another state, with the same attempts and output. */
    public StageProgress with(StageState newState, String newError) {
        return new StageProgress(id, newState, attempts, output, newError);
    }

    /** This stage with one more finished attempt. */
    public StageProgress plus(AttemptRecord attempt) {
        List<AttemptRecord> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new StageProgress(id, state, all, output, error);
    }

    /** This stage succeeded with {@code accepted}. */
    public StageProgress succeeded(StageOutput accepted) {
        return new StageProgress(id, StageState.SUCCEEDED, attempts, accepted, null);
    }

    /** Tokens over all attempts. */
    public TokenCount tokens() {
        TokenCount sum = TokenCount.ZERO;
        for (AttemptRecord attempt : attempts) {
            sum = sum.plus(attempt.tokens());
        }
        return sum;
    }

    /** Busy time over all attempts. */
    public long busyNanos() {
        long sum = 0;
        for (AttemptRecord attempt : attempts) {
            sum += attempt.busyNanos();
        }
        return sum;
    }
}

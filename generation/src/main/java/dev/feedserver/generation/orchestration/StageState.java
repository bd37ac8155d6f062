package dev.feedserver.generation.orchestration;

/** Where one stage of a job stands. */
public enum StageState {
    /** Waiting for its inputs. */
    PENDING,
    /** An attempt is queued on the scheduler or running. */
    RUNNING,
    SUCCEEDED,
    /** Out of attempts, or failed in a way no retry can fix. */
    FAILED,
    /** Not run because a stage it depends on failed. */
    SKIPPED,
    CANCELLED;

    /** Whether the stage will not change any more. */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}

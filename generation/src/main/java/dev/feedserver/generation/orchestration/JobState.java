package dev.feedserver.generation.orchestration;

/** Where a generation job stands. */
public enum JobState {
    /** Accepted, not started (or waiting to be resumed after a restart). */
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** Whether the job will not change any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}

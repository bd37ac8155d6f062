package dev.feedserver.generation.scheduler;

import java.util.concurrent.CancellationException;

/**
 * What a running {@link StageTask} may ask of the scheduler. Threading: read from the task's own
 * thread; the flag is set from whichever thread cancels.
 */
public interface TaskContext {

    /** Whether the task was cancelled; a task that sees it should return soon. */
    boolean cancelled();

    /** Throws {@link CancellationException} if the task was cancelled. */
    default void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException("task cancelled");
        }
    }
}

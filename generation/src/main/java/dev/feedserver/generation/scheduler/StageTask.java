package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.LoadedModel;

/**
 * One unit of work on one model, run by a scheduler worker once the model is resident.
 * Long tasks should poll {@link TaskContext#cancelled()} (or react to the thread's interrupt)
 * so that cancelling them frees their slot quickly.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface StageTask<R> {

    /**
     * Runs on a scheduler worker thread; {@code model} stays loaded until this returns.
     *
     * @throws Exception any failure; it completes the task's handle exceptionally
     */
    R run(LoadedModel model, TaskContext context) throws Exception;
}

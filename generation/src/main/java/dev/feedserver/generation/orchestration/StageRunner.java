package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;

/**
 * Runs one attempt of stages of one {@link StageKind} on a loaded model. The executor calls it
 * on a scheduler worker while the stage's model is resident; stages without a model (the title)
 * get a null model.
 *
 * <p>Threading: implementations are thread-safe; several attempts of different jobs may run at
 * once. Lifecycle: runners hold no model; the scheduler owns models.
 */
public interface StageRunner {

    /** The kind of stage this runs. */
    StageKind kind();

    /**
     * Runs the attempt. Media outputs are written into {@code call.workDir()}.
     *
     * @throws StageException for a failure that another attempt cannot fix (the stage fails at once)
     * @throws Exception      any other failure (counted as a failed attempt)
     */
    StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception;
}

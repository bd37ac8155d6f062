package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageResult;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import java.util.List;

/**
 * A text node of the agent graph: one model call that reads the message history.
 *
 * <p>Threading: implementations are thread-safe; the graph calls them on scheduler workers.
 */
@FunctionalInterface
public interface TextNode {

    /** What one call produced, and how many history messages had to be dropped to fit the context. */
    record Outcome(StageResult result, int droppedMessages) {
    }

    /**
     * Runs one attempt of a text stage on {@code model} with {@code history} as its context.
     *
     * @throws Exception any failure (a {@code StageException} ends the stage at once, as in the executor)
     */
    Outcome run(StageCall call, List<Message> history, LoadedModel model, TaskContext context) throws Exception;
}

package dev.feedserver.bench.agents;

import dev.feedserver.generation.models.TextModel;
import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageResult;
import dev.feedserver.generation.orchestration.TextStageRunner;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.scheduler.TaskContext;
import java.util.List;

/**
 * The agent graph's text node on the Llama text model: the same {@link TextStageRunner} as the
 * two-step executor (same sampling, same retry measures, same token counting), given a
 * {@link HistoryComposer} that counts with the model's own tokenizer and fits the model's
 * context length.
 *
 * <p>Threading and lifecycle: stateless and thread-safe.
 */
public final class StoryTextNode implements TextNode {

    @Override
    public Outcome run(StageCall call, List<Message> history, LoadedModel model, TaskContext context) throws Exception {
        TextModel text = model.as(TextModel.class);
        HistoryComposer composer = new HistoryComposer(history,
                prompt -> text.tokenizer().encode(prompt, true, false).length, text.model().config().seqLen());
        StageResult result = new TextStageRunner(composer).run(call, model, context);
        return new Outcome(result, history.size() - composer.lastKept().size());
    }
}

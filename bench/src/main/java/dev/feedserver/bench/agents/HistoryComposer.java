package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.DeclaredInputsComposer;
import dev.feedserver.generation.orchestration.Prompt;
import dev.feedserver.generation.orchestration.PromptComposer;
import dev.feedserver.generation.orchestration.StageCall;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The agent graph's prompts: every text node reads the whole accumulated message history (the
 * way LangGraph's prebuilt agents pass {@code state["messages"]} to the model), rendered as
 * "System: ...\nAssistant (planner): ...\n", then opens its own turn ("Assistant (story): ")
 * and starts from the same opening as the two-step executor's {@link DeclaredInputsComposer}
 * (the premise opening, or the premise the story continues), since the story model only
 * continues text. When the prompt and the node's generation would not fit the model's context,
 * the oldest non-system messages are dropped ({@link HistoryTrimmer}). Only the context
 * differs from the two-step composer.
 *
 * <p>Threading and lifecycle: immutable, made for one node call; thread-safe.
 */
public final class HistoryComposer implements PromptComposer {

    /**
     * Tokens kept free beyond the node's generation: a retry after a missing keyword lengthens
     * the opening by a short sentence after this composer has run.
     */
    static final int RETRY_SLACK_TOKENS = 24;

    private static final DeclaredInputsComposer OPENINGS = new DeclaredInputsComposer();

    private final List<Message> history;
    private final ToIntFunction<String> promptTokens;
    private final int contextTokens;
    private volatile List<Message> lastKept = List.of();

    /**
     * @param history       the graph state's messages at the time of the call
     * @param promptTokens  tokens the model reads for a prompt (the model's tokenizer, BOS included)
     * @param contextTokens the model's context length
     */
    public HistoryComposer(List<Message> history, ToIntFunction<String> promptTokens, int contextTokens) {
        this.history = List.copyOf(history);
        this.promptTokens = promptTokens;
        this.contextTokens = contextTokens;
    }

    @Override
    public Prompt compose(StageCall call) {
        Prompt declared = OPENINGS.compose(call);
        String header = Message.turnHeader(call.stage().id());
        long generate = Math.min(call.stage().constraints().maxTokens(), call.tokenAllowance());
        long room = contextTokens - generate - RETRY_SLACK_TOKENS;
        List<Message> kept = HistoryTrimmer.keepLast(history,
                messages -> promptTokens.applyAsInt(HistoryTrimmer.render(messages) + header + declared.opening()) <= room);
        lastKept = kept;
        return new Prompt(HistoryTrimmer.render(kept) + header, declared.opening(), declared.oneSentence());
    }

    /** The messages the last {@link #compose} kept (for the record of how much was trimmed). */
    public List<Message> lastKept() {
        return lastKept;
    }
}

package dev.feedserver.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.Prompt;
import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageModels;
import dev.feedserver.generation.orchestration.StageOutput;
import dev.feedserver.generation.orchestration.StageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The agent graph's prompts: the whole history, then the stage's opening; trimmed oldest-first to fit. */
class HistoryComposerTest {

    /** One token per whitespace-separated word, plus one for BOS: easy to reason about. */
    static final ToIntFunction<String> WORDS = text -> text.isBlank() ? 1 : text.strip().split("\\s+").length + 1;

    static final Brief BRIEF = Brief.of("ocean", ContentFormat.STORY, List.of("fish"));
    static final ContentPlan PLAN = new BriefPlanner(new StageModels("t", "s", "i", "v")).plan(BRIEF);
    static final String PREMISE = "Once upon a time, there was a little girl named Lily. Lily loved fish a lot.";

    static StageCall storyCall() {
        StageSpec story = PLAN.stage("story");
        return new StageCall(BRIEF, story, Map.of("premise", StageOutput.text(PREMISE)), 1, List.of(), 512, Path.of("."), 1);
    }

    static List<Message> history(int outputs) {
        List<Message> history = new ArrayList<>(List.of(AgentMessages.system(BRIEF), AgentMessages.plan(PLAN)));
        for (int i = 0; i < outputs; i++) {
            history.add(Message.assistant("node" + i, "output number " + i + " of the graph, six words long."));
        }
        return history;
    }

    @Test
    void withRoomTheWholeHistoryPrecedesTheStagesOwnTurnAndOpening() {
        List<Message> history = history(3);
        Prompt prompt = new HistoryComposer(history, WORDS, 4096).compose(storyCall());
        assertEquals(HistoryTrimmer.render(history) + "Assistant (story): ", prompt.context());
        assertEquals(PREMISE + " ", prompt.opening(), "the story continues the premise, as in the two-step executor");
        assertTrue(prompt.context().startsWith("System: You are a team"), prompt.context());
        assertTrue(prompt.context().contains("Assistant (planner): Plan: 1. write the premise"), prompt.context());
    }

    @Test
    void trimmingKeepsTheSystemMessageAndTheNewestMessagesAndFitsTheContext() {
        List<Message> history = history(40);
        StageCall call = storyCall();
        int generate = call.stage().constraints().maxTokens();
        int context = generate + HistoryComposer.RETRY_SLACK_TOKENS + 160;
        HistoryComposer composer = new HistoryComposer(history, WORDS, context);
        Prompt prompt = composer.compose(call);
        List<Message> kept = composer.lastKept();

        assertTrue(WORDS.applyAsInt(prompt.full()) + generate + HistoryComposer.RETRY_SLACK_TOKENS <= context,
                "the prompt leaves room for the generation");
        assertEquals(Message.Role.SYSTEM, kept.getFirst().role(), "the system message stays");
        assertTrue(kept.size() > 2 && kept.size() < history.size(), kept.size() + " of " + history.size() + " kept");
        List<Message> newest = history.subList(history.size() - (kept.size() - 1), history.size());
        assertEquals(newest, kept.subList(1, kept.size()), "the newest messages stay, oldest dropped first");
        List<Message> oneMore = new ArrayList<>(kept);
        oneMore.add(1, history.get(history.size() - kept.size()));
        String longer = HistoryTrimmer.render(oneMore) + "Assistant (story): " + prompt.opening();
        assertTrue(WORDS.applyAsInt(longer) + generate + HistoryComposer.RETRY_SLACK_TOKENS > context,
                "no more messages would have fitted: trimming stops as soon as the rest fits");
    }

    @Test
    void whenOnlyTheSystemMessageFitsEverythingElseGoes() {
        List<Message> history = history(5);
        HistoryComposer composer = new HistoryComposer(history, WORDS, 1);
        composer.compose(storyCall());
        assertEquals(List.of(history.getFirst()), composer.lastKept());
    }
}

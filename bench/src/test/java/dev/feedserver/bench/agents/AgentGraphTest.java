package dev.feedserver.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.PremiseOpening;
import dev.feedserver.generation.orchestration.Prompt;
import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageModels;
import dev.feedserver.generation.orchestration.StageOutput;
import dev.feedserver.generation.orchestration.StageResult;
import dev.feedserver.generation.orchestration.StageState;
import dev.feedserver.generation.orchestration.TitleStageRunner;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.generation.orchestration.Violation;
import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent graph: the history grows node by node, a violation joins it before the retry, failures are bounded. */
class AgentGraphTest {

    static final StageModels MODELS = new StageModels("fake-text", "fake-speech", "fake-image", "fake-video");
    static final String STORY_SENTENCE = " Lily ran to the park with her friend and they had fun in the sun.";

    @TempDir
    Path dir;

    private ModelScheduler scheduler;

    @AfterEach
    void close() {
        scheduler.close();
    }

    /** What a text node saw on each call. */
    record Seen(StageCall call, List<Message> history, Prompt prompt) {
    }

    interface Script {
        String answer(StageCall call);
    }

    private AgentRun run(Brief brief, Script script, List<Seen> seen) throws InterruptedException {
        ModelRegistry registry = new ModelRegistry();
        ModelSpec spec = new ModelSpec(MODELS.text(), ModelKind.TEXT, Backend.JAVA, ModelSource.file(Path.of("fake")), 1);
        registry.register(spec, new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec s) {
                return LoadedModel.of(() -> { }, m -> 1024);
            }

            @Override
            public long estimateBytes(ModelSpec s) {
                return 1024;
            }
        });
        scheduler = new ModelScheduler(registry, SchedulerConfig.defaults());
        scheduler.start();
        TextNode node = (call, history, model, context) -> {
            Prompt prompt = new HistoryComposer(history, HistoryComposerTest.WORDS, 4096).compose(call);
            seen.add(new Seen(call, history, prompt));
            return new TextNode.Outcome(new StageResult(StageOutput.text(script.answer(call)),
                    new TokenCount(HistoryComposerTest.WORDS.applyAsInt(prompt.full()), 20, 0, 0)), 0);
        };
        // Text and title only: the stages this fake graph has runners for (the title reads the premise alone).
        ContentPlan plan = new ContentPlan(new BriefPlanner(MODELS).plan(brief).stages().stream()
                .filter(s -> s.kind() == StageKind.TEXT || s.kind() == StageKind.TITLE).toList());
        return new AgentGraph(scheduler, node, List.of(new TitleStageRunner())).run("job", brief, plan, 7, dir);
    }

    private static String good(StageCall call) {
        if (call.stage().id().equals("premise")) {
            return PremiseOpening.of(call.brief()) + " and played with it every day.";
        }
        return call.inputText() + STORY_SENTENCE.repeat(4);
    }

    @Test
    void everyNodeReadsTheWholeHistoryWhichGrowsWithEachNode() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AgentRun run = run(Brief.of("ocean", ContentFormat.STORY, List.of()), AgentGraphTest::good, seen);

        assertEquals(JobState.SUCCEEDED, run.job().state(), String.valueOf(run.job().error()));
        assertEquals(List.of("premise", "story", "title"), run.job().stages().stream().map(s -> s.id()).toList(),
                "the cover is left out: no IMAGE runner here");
        assertEquals(2, seen.size());
        assertEquals(List.of(Message.Role.SYSTEM, Message.Role.ASSISTANT), seen.get(0).history().stream().map(Message::role).toList());
        assertEquals(3, seen.get(1).history().size(), "the story reads the system message, the plan and the premise");
        assertEquals(run.job().stage("premise").output().text(), seen.get(1).history().get(2).content());
        assertTrue(seen.get(1).prompt().context().contains("Assistant (premise): " + run.job().stage("premise").output().text()));
        assertEquals(5, run.messages().size(), "system, plan, premise, story, title");
        assertEquals(new Message(Message.Role.TOOL, "title", run.job().stage("title").output().text()), run.messages().getLast());
        assertTrue(seen.get(1).call().inputs().containsKey("premise"), "the premise is also the story's opening");
        assertTrue(run.job().tokens().modelIn() > seen.get(0).call().brief().topic().length());
    }

    @Test
    void aViolationJoinsTheHistoryBeforeTheRetry() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Script shortFirst = call -> call.stage().id().equals("story") && call.attempt() == 1
                ? call.inputText() + " The end." : good(call);
        AgentRun run = run(Brief.of("ocean", ContentFormat.STORY, List.of()), shortFirst, seen);

        assertEquals(JobState.SUCCEEDED, run.job().state(), String.valueOf(run.job().error()));
        assertEquals(2, run.job().stage("story").attempts().size());
        Seen retry = seen.get(2);
        assertEquals(2, retry.call().attempt());
        assertTrue(retry.call().violated(Violation.TOO_SHORT), "the retry is told what was wrong, as in the executor");
        List<Message> history = retry.history();
        Message failed = history.get(history.size() - 2);
        Message check = history.getLast();
        assertEquals(Message.assistant("story", seen.get(1).call().inputText() + " The end."), failed,
                "the rejected output stays in the history");
        assertEquals(Message.Role.TOOL, check.role());
        assertTrue(check.content().contains("needs at least") && check.content().contains("again"), check.content());
        assertTrue(retry.prompt().context().endsWith(check.render() + "Assistant (story): "), retry.prompt().context());
    }

    @Test
    void aStageThatKeepsFailingEndsTheGraphAfterItsAttempts() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Script banned = call -> call.stage().id().equals("story")
                ? call.inputText() + " The blood was red and they had fun in the park all day long with a ball.".repeat(3)
                : good(call);
        AgentRun run = run(Brief.of("ocean", ContentFormat.STORY, List.of()), banned, seen);

        assertEquals(JobState.FAILED, run.job().state());
        assertEquals(3, run.job().stage("story").attempts().size());
        assertEquals(StageState.SKIPPED, run.job().stage("title").state(), "a failed node ends the graph");
        assertTrue(run.job().error().contains("banned word 'blood'"), run.job().error());
        assertEquals(2 + 1 + 3 * 2, run.messages().size(), "system, plan, premise, then three outputs each with its check");
    }
}

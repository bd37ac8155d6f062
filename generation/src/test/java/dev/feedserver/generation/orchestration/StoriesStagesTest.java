package dev.feedserver.generation.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.text.WeightMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text stages on the real stories260K model (skipped with a message when ../shared is absent). */
class StoriesStagesTest {

    static final Path STORIES = Path.of("..", "..", "shared", "models", "stories260K");

    @TempDir
    Path dir;

    @Test
    void premiseStoryAndTitleMeetTheirConstraints() throws Exception {
        assumeTrue(Files.isRegularFile(STORIES.resolve("stories260K.bin")),
                "skipped: ../shared/models/stories260K is absent");
        ModelRegistry registry = FakeStages.registry(1);
        StandardModels.registerText(registry, "stories", STORIES.resolve("stories260K.bin"), STORIES.resolve("tok512.bin"),
                WeightMode.INT8, 2);
        StageModels models = new StageModels("stories", FakeStages.MODELS.speech(), FakeStages.MODELS.image(),
                FakeStages.MODELS.video());
        FakeStages.Calls calls = new FakeStages.Calls();
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            PlanExecutor executor = new PlanExecutor(scheduler, List.of(new TextStageRunner(new DeclaredInputsComposer()),
                    new TitleStageRunner(), FakeStages.media(calls, StageKind.IMAGE, OutputFormat.PNG, FakeStages.PNG)),
                    callbacks, System::currentTimeMillis);
            int succeeded = 0;
            List<String> topics = List.of("ocean", "garden", "space", "music", "forest", "snow");
            for (int i = 0; i < topics.size(); i++) {
                Brief brief = Brief.of(topics.get(i), ContentFormat.STORY, List.of("ball"));
                JobSnapshot job = JobSnapshot.queued("j" + i, brief, new BriefPlanner(models).plan(brief), 0, i, 0);
                JobSnapshot done = executor.start(job, dir, s -> { }).done().get(60, TimeUnit.SECONDS);
                System.out.println(done.state() + " " + done.stage("title").output() + "\n  premise: "
                        + done.stage("premise").attempts() + "\n  " + done.stage("premise").output() + "\n  story: "
                        + done.stage("story").attempts().stream().map(a -> a.violations().toString()).toList() + "\n  "
                        + done.stage("story").output() + "\n  tokens " + done.tokens());
                if (done.state() == JobState.SUCCEEDED) {
                    succeeded++;
                    assertTrue(done.stage("story").output().text().startsWith(done.stage("premise").output().text()));
                    assertTrue(done.tokens().modelIn() > 0 && done.tokens().cl100kOut() > 0);
                }
            }
            assertTrue(succeeded >= topics.size() / 2, succeeded + " of " + topics.size() + " jobs succeeded");
        } finally {
            callbacks.shutdownNow();
        }
    }
}

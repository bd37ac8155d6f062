package dev.feedserver.generation.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.generation.media.OnnxImageRendererTest;
import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan's cover stage bound to an ONNX image model from the registry instead of the Java2D renderer. */
class OnnxCoverBindingTest {

    @TempDir
    Path dir;

    @Test
    void theCoverStageRunsOnAnOnnxImageModel() throws Exception {
        ModelRegistry registry = FakeStages.registry(1);
        StandardModels.registerOnnxImage(registry, "onnx-cover", OnnxImageRendererTest.mlpModel(dir), 1, 1, false);
        StageModels models = new StageModels(FakeStages.MODELS.text(), FakeStages.MODELS.speech(), "onnx-cover",
                FakeStages.MODELS.video());
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            PlanExecutor executor = new PlanExecutor(scheduler, List.of(
                    FakeStages.text(new FakeStages.Calls(), (call, context) -> FakeStages.goodText(call)),
                    new TitleStageRunner(), new ImageStageRunner()), callbacks, System::currentTimeMillis);
            Brief brief = Brief.of("garden", ContentFormat.STORY, List.of());
            JobSnapshot done = executor.start(JobSnapshot.queued("onnx", brief, new BriefPlanner(models).plan(brief), 0, 1, 0),
                    dir, s -> { }).done().get(60, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, done.state(), String.valueOf(done.error()));
            assertEquals("onnx-cover", done.plan().stage("cover").model());
            BufferedImage cover = ImageIO.read(dir.resolve(done.stage("cover").output().file()).toFile());
            assertEquals(ImageStageRunner.WIDTH, cover.getWidth());
            assertEquals(ImageStageRunner.HEIGHT, cover.getHeight());
        } finally {
            callbacks.shutdownNow();
        }
    }
}

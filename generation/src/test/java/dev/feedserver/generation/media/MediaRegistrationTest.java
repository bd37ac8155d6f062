package dev.feedserver.generation.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.FootprintEstimates;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import dev.feedserver.generation.scheduler.ModelLoadException;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.scheduler.TaskHandle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The media back-ends as registered models, run by the scheduler as a job's stages would be. */
class MediaRegistrationTest {

    @TempDir
    Path dir;

    @Test
    void theCoverModelRendersThroughTheScheduler() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel cover = StandardModels.registerCover(registry);
        assertEquals(ModelKind.IMAGE, cover.spec().kind());
        assertEquals(Backend.JAVA, cover.spec().backend());
        assertInstanceOf(ModelSource.BuiltIn.class, cover.spec().source());
        assertEquals(FootprintEstimates.estimate(Backend.JAVA, 0), cover.estimateBytes(), "no weights: the backend's fixed part");
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            CoverRequest request = new CoverRequest("How volcanoes shape islands", "geology", List.of("lava"), 320, 180);
            byte[] png = scheduler.submit(StandardModels.COVER, 0, (model, context) -> model.as(CoverRenderer.class).renderPng(request))
                    .get(60, TimeUnit.SECONDS);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(320, image.getWidth());
            byte[] again = scheduler.submit(StandardModels.COVER, 0, (model, context) -> model.as(ImageRenderer.class).renderPng(request))
                    .get(60, TimeUnit.SECONDS);
            assertArrayEquals(png, again, "the same through the ImageRenderer view");
        }
    }

    @Test
    void theVideoModelComposesThroughTheScheduler() throws Exception {
        VideoComposer composer = new VideoComposer();
        assumeTrue(composer.available(), "ffmpeg is not installed (apt-get install ffmpeg); skipping");
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel video = StandardModels.registerVideo(registry, composer);
        assertEquals(ModelKind.VIDEO, video.spec().kind());
        assertTrue(video.spec().source().describe().contains("ffmpeg"), video.spec().source().describe());
        byte[] cover = MediaFixtures.coverPng(160, 90);
        byte[] narration = MediaFixtures.toneWav(0.5);
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            byte[] mp4 = scheduler.submit(StandardModels.VIDEO, 0, (model, context) ->
                    model.as(VideoComposer.class).compose(cover, narration, context::cancelled)).get(120, TimeUnit.SECONDS);
            assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void withoutFfmpegTheVideoStageFailsClearly() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerVideo(registry, new VideoComposer(dir.resolve("missing/ffmpeg")));
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            TaskHandle<byte[]> handle = scheduler.submit(StandardModels.VIDEO, 0, (model, context) ->
                    model.as(VideoComposer.class).compose(MediaFixtures.coverPng(64, 64), MediaFixtures.toneWav(0.2), context::cancelled));
            ExecutionException e = assertThrows(ExecutionException.class, () -> handle.get(60, TimeUnit.SECONDS));
            assertInstanceOf(MediaToolMissingException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("apt-get install ffmpeg"), e.getCause().getMessage());
        }
    }

    @Test
    void cancellingAVideoTaskKillsFfmpeg() throws Exception {
        Path pidFile = dir.resolve("pid");
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerVideo(registry, new VideoComposer(MediaFixtures.sleepingFfmpeg(dir, pidFile)));
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            byte[] cover = MediaFixtures.coverPng(64, 64);
            byte[] narration = MediaFixtures.toneWav(0.2);
            TaskHandle<byte[]> handle = scheduler.submit(StandardModels.VIDEO, 0, (model, context) ->
                    model.as(VideoComposer.class).compose(cover, narration, context::cancelled));
            long pid = MediaFixtures.awaitPid(pidFile);
            assertTrue(handle.cancel(true));
            assertTrue(MediaFixtures.gone(pid), "ffmpeg was destroyed when its task was cancelled");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (scheduler.stats().running() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, scheduler.stats().running(), "the task returned and freed its slot");
        }
    }

    @Test
    void anOnnxImageModelRendersThroughTheScheduler() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel model = StandardModels.registerOnnxImage(registry, "image-mlp", OnnxImageRendererTest.mlpModel(dir), 2, 1, true);
        assertEquals(ModelKind.IMAGE, model.spec().kind());
        assertEquals(Backend.ONNX_RUNTIME, model.spec().backend());
        Path wrong = dir.resolve("wrong.onnx");
        Files.write(wrong, OnnxMlpExporter.exportFloat(List.of(new Layer(4, 10, new float[40], null, Activation.NONE, -1)),
                new int[] {0}, MlpExportInfo.of("test", 1)));
        StandardModels.registerOnnxImage(registry, "image-wrong", wrong, 1, 1, false);
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            byte[] png = scheduler.submit("image-mlp", 0, (loaded, context) ->
                    loaded.as(ImageRenderer.class).renderPng(OnnxImageRendererTest.request("Volcanoes", 128, 72))).get(60, TimeUnit.SECONDS);
            assertEquals(72, ImageIO.read(new ByteArrayInputStream(png)).getHeight());
            ExecutionException e = assertThrows(ExecutionException.class, () -> scheduler.submit("image-wrong", 0,
                    (loaded, context) -> loaded.as(ImageRenderer.class)).get(60, TimeUnit.SECONDS));
            assertInstanceOf(ModelLoadException.class, e.getCause());
            assertTrue(e.getCause().getCause().getMessage().contains("3 * S * S"), "the load fails on the shape: " + e.getCause());
        }
    }

    @Test
    void theDefaultsIncludeTheMediaModels() {
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerDefaults(registry);
        assertEquals(ModelKind.IMAGE, registry.get(StandardModels.COVER).spec().kind());
        assertEquals(ModelKind.VIDEO, registry.get(StandardModels.VIDEO).spec().kind());
    }
}

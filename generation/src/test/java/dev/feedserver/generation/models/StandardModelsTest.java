package dev.feedserver.generation.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.FootprintEstimates;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.scheduler.SchedulerStats;
import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import dev.feedserver.onnx.text.MiniLmTextEncoder;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real models, loaded and run through the registry and the scheduler. */
class StandardModelsTest {

    @TempDir
    Path dir;

    @Test
    void miniLmEncodesThroughTheScheduler() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerDefaults(registry);
        assertEquals(List.of(StandardModels.COVER, StandardModels.VIDEO, StandardModels.SPEECH, StandardModels.MINILM), registry.names(),
                "MiniLM, FreeTTS and the two media stages; sorted by name");
        RegisteredModel minilm = registry.get(StandardModels.MINILM);
        assertEquals(Backend.ONNX_RUNTIME, minilm.spec().backend());
        long stored = minilm.spec().source().sizeBytes();
        assertTrue(stored > 10_000_000, "the int8 MiniLM and its tokenizer are tens of MB: " + stored);
        assertEquals(FootprintEstimates.estimate(Backend.ONNX_RUNTIME, stored), minilm.estimateBytes());
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            float[][] vectors = scheduler.submit(StandardModels.MINILM, 0, (model, context) ->
                    model.as(MiniLmTextEncoder.class).encode(List.of("a cat sat on the mat", "a kitten on a rug", "quarterly tax law")))
                    .get(120, TimeUnit.SECONDS);
            assertEquals(MiniLmTextEncoder.DIMENSION, vectors[0].length);
            assertEquals(1.0, dot(vectors[0], vectors[0]), 1e-3);
            assertTrue(dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]), "related texts are closer");
            SchedulerStats stats = scheduler.stats();
            assertEquals(1, stats.totalLoads());
            assertTrue(minilm.measuredBytes() >= 0, "measured once loaded");
            if (dev.feedserver.generation.registry.MallocStats.available()) {
                // the session holds the 23 MB int8 graph and more; the allocator's count sees it
                assertTrue(minilm.measuredBytes() > 16L << 20, "MiniLM measured " + minilm.measuredBytes() + " bytes");
            }
            assertEquals(Math.max(minilm.estimateBytes(), minilm.measuredBytes()), stats.residentBytes());
        }
    }

    @Test
    void freeTtsSpeaksAValidWavOffline() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerSpeech(registry);
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            byte[] wav = scheduler.submit(StandardModels.SPEECH, 0, (model, context) ->
                    model.as(SpeechModel.class).synthesize("Hello from the feed server.")).get(120, TimeUnit.SECONDS);
            assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("WAVE", new String(wav, 8, 4, java.nio.charset.StandardCharsets.US_ASCII));
            try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
                AudioFormat format = audio.getFormat();
                assertEquals(16_000f, format.getSampleRate());
                assertEquals(16, format.getSampleSizeInBits());
                assertEquals(1, format.getChannels());
                double seconds = audio.getFrameLength() / format.getFrameRate();
                assertTrue(seconds > 0.5 && seconds < 10, "a short sentence lasts about a second or two: " + seconds);
            }
            ByteBuffer samples = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
            int loudest = 0;
            while (samples.remaining() >= 2) {
                loudest = Math.max(loudest, Math.abs(samples.getShort()));
            }
            assertTrue(loudest > 1_000, "the audio is not silence: peak sample " + loudest);
        }
    }

    @Test
    void anExportedMlpRunsAsAnOnnxModel() throws Exception {
        // 3 inputs -> 2 outputs, relu: y0 = relu(x0 + 2 x1 + 1), y1 = relu(-x2)
        Layer layer = new Layer(3, 2, new float[] {1, 2, 0, 0, 0, -1}, new float[] {1, 0}, Activation.RELU, -1);
        Path file = dir.resolve("tiny.onnx");
        Files.write(file, OnnxMlpExporter.exportFloat(List.of(layer), new int[] {0}, MlpExportInfo.of("test", 1)));
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerOnnx(registry, "tiny", file, 2, 1, true); // preferGpu: used only when CUDA is there
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            float[][] out = scheduler.submit("tiny", 0, (model, context) ->
                    model.as(OnnxModel.class).run(new float[][] {{1, 1, 1}, {-5, 0, -3}})).get(60, TimeUnit.SECONDS);
            assertArrayEquals(new float[] {4, 0}, out[0], 1e-6f);
            assertArrayEquals(new float[] {0, 3}, out[1], 1e-6f);
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}

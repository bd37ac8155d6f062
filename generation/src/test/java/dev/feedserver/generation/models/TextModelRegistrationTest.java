package dev.feedserver.generation.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.text.GenerationParams;
import dev.feedserver.generation.text.GenerationResult;
import dev.feedserver.generation.text.LlamaCheckpoint;
import dev.feedserver.generation.text.LlamaConfig;
import dev.feedserver.generation.text.LlamaFootprint;
import dev.feedserver.generation.text.TestModels;
import dev.feedserver.generation.text.WeightMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A llama2.c text model registered in the registry and run by the scheduler like any other model. */
class TextModelRegistrationTest {
    private static final List<String> VOCAB = TestModels.smallVocabulary();
    private static final int VOCAB_SIZE = 259 + VOCAB.size();

    @TempDir
    Path dir;

    @Test
    void generatesThroughTheSchedulerWithAnEstimateFromTheHeader() throws Exception {
        LlamaConfig config = new LlamaConfig(32, 64, 2, 4, 2, VOCAB_SIZE, 64, true);
        Path checkpoint = TestModels.writeRandom(dir, config, 3);
        Path tokenizer = Files.write(dir.resolve("tok.bin"), TestModels.tokenizerFile(VOCAB));
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel text = StandardModels.registerText(registry, "tiny", checkpoint, tokenizer, WeightMode.INT8, 2);
        assertEquals(ModelKind.TEXT, text.spec().kind());
        assertEquals(Backend.NATIVE, text.spec().backend());
        long expected = LlamaFootprint.estimate(LlamaCheckpoint.readConfig(checkpoint), WeightMode.INT8, 0)
                + 2 * LlamaFootprint.sessionEstimate(config, WeightMode.INT8, 0, config.seqLen());
        assertEquals(expected, text.estimateBytes(), "the estimate is the int8 weights plus two full-context sessions");

        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            GenerationResult result = scheduler.submit("tiny", 0, (model, context) -> model.as(TextModel.class).generator()
                    .generate("the", new GenerationParams(12, 0f, 1f, 0L, List.of(), false), piece -> { }, context::cancelled)).get(60, TimeUnit.SECONDS);
            assertEquals(12, result.tokensOut(), "greedy, not stopping at EOS: exactly the budget");
            assertTrue(result.tokensIn() >= 1);
            assertEquals(1, scheduler.stats().totalLoads());
            assertTrue(text.measuredBytes() > 0 && text.measuredBytes() <= text.estimateBytes(),
                    "measured " + text.measuredBytes() + " within the estimate " + text.estimateBytes());
        }
    }

    @Test
    void aMissingTokenizerFailsTheTaskClearly() throws Exception {
        LlamaConfig config = new LlamaConfig(32, 64, 2, 4, 2, VOCAB_SIZE, 64, true);
        Path checkpoint = TestModels.writeRandom(dir, config, 4);
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerText(registry, "tiny", checkpoint, dir.resolve("absent.bin"), WeightMode.FLOAT32, 1);
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults())) {
            scheduler.start();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> scheduler.submit("tiny", 0, (model, context) -> 1).get(60, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("tiny"), failed.getCause().getMessage());
        }
    }
}

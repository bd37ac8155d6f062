package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation loop on a random model: budget, streaming, stop strings, cancellation, seeds, context. */
class TextGeneratorTest {

    private static final List<String> VOCAB = TestModels.smallVocabulary();
    private static final int VOCAB_SIZE = 259 + VOCAB.size();

    @TempDir
    Path dir;

    private LlamaModel model;
    private TextGenerator generator;

    @BeforeEach
    void model() throws IOException {
        Path file = TestModels.writeRandom(dir, new LlamaConfig(32, 64, 2, 4, 2, VOCAB_SIZE, 64, true), 11);
        model = LlamaModel.load(file, WeightMode.FLOAT32, 0);
        generator = new TextGenerator(model, BpeTokenizer.parse(TestModels.tokenizerFile(VOCAB), VOCAB_SIZE, "t"));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        model.close();
    }

    @Test
    void streamsEveryPieceAndCountsTokens() {
        List<String> pieces = new ArrayList<>();
        GenerationParams params = new GenerationParams(20, 0.9f, 0.95f, 5, List.of(), false);
        GenerationResult result = generator.generate("the cat", params, pieces::add);
        assertEquals(String.join("", pieces), result.text());
        assertEquals(20, result.tokensOut());
        assertEquals(StopReason.MAX_TOKENS, result.reason());
        assertTrue(result.tokensIn() >= 3, "BOS, space and the prompt");
        pieces.forEach(p -> assertFalse(p.isEmpty()));
    }

    @Test
    void seedsReproduceAndDiffer() {
        GenerationParams a = new GenerationParams(30, 1.0f, 1.0f, 1, List.of(), false);
        GenerationParams b = new GenerationParams(30, 1.0f, 1.0f, 2, List.of(), false);
        String first = generator.generate("hello", a, GenerationListener.NONE).text();
        assertEquals(first, generator.generate("hello", a, GenerationListener.NONE).text());
        assertNotEquals(first, generator.generate("hello", b, GenerationListener.NONE).text());
    }

    @Test
    void stopStringEndsTheTextBeforeItAndIsNeverStreamed() {
        GenerationParams free = new GenerationParams(40, 1.0f, 1.0f, 3, List.of(), false);
        String text = generator.generate("the cat and", free, GenerationListener.NONE).text();
        assertTrue(text.length() > 6, "need some text to cut: " + text);
        String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
        int cut = text.indexOf(stop);
        StringBuilder streamed = new StringBuilder();
        GenerationResult result = generator.generate("the cat and", free.withStopStrings(List.of(stop)),
                streamed::append);
        assertEquals(StopReason.STOP_STRING, result.reason());
        assertEquals(text.substring(0, cut), result.text());
        assertEquals(result.text(), streamed.toString());
    }

    @Test
    void cancellationStopsBetweenSteps() {
        AtomicInteger polls = new AtomicInteger();
        GenerationResult result = generator.generate("", new GenerationParams(50, 1.0f, 1.0f, 3, List.of(), false),
                GenerationListener.NONE, () -> polls.incrementAndGet() > 6);
        assertEquals(StopReason.CANCELLED, result.reason());
        assertEquals(5, result.tokensOut(), "one poll for the BOS, then one before each of 5 tokens");
    }

    @Test
    void theContextBoundsTheGeneration() {
        GenerationResult result = generator.generate("", new GenerationParams(500, 1.0f, 1.0f, 3, List.of(), false),
                GenerationListener.NONE);
        assertEquals(StopReason.CONTEXT_FULL, result.reason());
        // All 64 positions are fed; the token sampled from the last position's logits is still output.
        assertEquals(65, result.tokensIn() + result.tokensOut());
        assertThrows(IllegalArgumentException.class,
                () -> generator.generate("x".repeat(100), GenerationParams.greedy(5), GenerationListener.NONE));
    }

    @Test
    void sampledMarkersAreCountedButNotPrinted() {
        // A random model with a shared classifier tends to repeat the token it was fed: from BOS alone, BOS.
        GenerationResult result = generator.generate("", new GenerationParams(10, 1.0f, 1.0f, 3, List.of(), false),
                GenerationListener.NONE);
        assertEquals(10, result.tokensOut());
        assertFalse(result.text().contains("<s>") || result.text().contains("</s>"), result.text());
    }

    @Test
    void closedModelsRefuseNewGenerations() {
        model.close();
        assertThrows(IllegalStateException.class,
                () -> generator.generate("", GenerationParams.greedy(5), GenerationListener.NONE));
    }
}

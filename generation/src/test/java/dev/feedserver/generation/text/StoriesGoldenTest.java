package dev.feedserver.generation.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.KernelBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * stories260K from ../shared: greedy decoding from BOS for 200 steps reproduces the README's text
 * exactly in float mode (native and the Java reference); int8 stays close (share of identical
 * greedy tokens, perplexity change on a fixed text). Skipped when ../shared is absent.
 */
class StoriesGoldenTest {

    /** A fixed text for perplexity: in the style the model was trained on, not its own output. */
    static final String FIXED_TEXT = "Once upon a time, there was a little dog named Max. Max liked to run in the "
            + "garden with his friend Sam. One day, Sam found a big box. \"What is in the box?\" asked Max. Sam "
            + "opened it and saw a red ball. They played with the ball all day and were very happy.";

    private static Path checkpoint;
    private static BpeTokenizer tokenizer;

    @BeforeAll
    static void files() {
        Assumptions.assumeTrue(TestModels.storiesPresent(), "skipped: ../shared/models/stories260K is absent");
        checkpoint = TestModels.STORIES.resolve("stories260K.bin");
        tokenizer = BpeTokenizer.load(TestModels.STORIES.resolve("tok512.bin"), 512);
    }

    /** The README's golden block; llama2.c prints a newline after the last token, which is not generated. */
    static String golden() throws IOException {
        String readme = Files.readString(TestModels.STORIES.resolve("README.md"));
        int section = readme.indexOf("## Golden output");
        int open = readme.indexOf("```\n", section) + 4;
        int close = readme.indexOf("\n```", open);
        return readme.substring(open, close);
    }

    @Test
    void nativeFloatReproducesTheGoldenText() throws IOException {
        Assumptions.assumeTrue(KernelBackend.current() == KernelBackend.NATIVE, "skipped: " + KernelBackend.reason());
        try (LlamaModel model = LlamaModel.loadNative(checkpoint, WeightMode.FLOAT32, 0)) {
            assertGolden(model);
        }
    }

    @Test
    void javaReferenceReproducesTheGoldenText() throws IOException {
        try (LlamaModel model = LlamaModel.loadReference(checkpoint)) {
            assertGolden(model);
        }
    }

    private static void assertGolden(LlamaModel model) throws IOException {
        StringBuilder streamed = new StringBuilder();
        GenerationResult result = new TextGenerator(model, tokenizer)
                .generate("", GenerationParams.greedy(200), streamed::append);
        assertEquals(golden(), result.text());
        assertEquals(result.text(), streamed.toString());
        assertEquals(1, result.tokensIn());
        assertEquals(200, result.tokensOut());
        assertEquals(StopReason.MAX_TOKENS, result.reason());
    }

    @Test
    void int8StaysCloseToFloat() {
        Assumptions.assumeTrue(KernelBackend.current() == KernelBackend.NATIVE, "skipped: " + KernelBackend.reason());
        int[] bos = {BpeTokenizer.BOS};
        int[] text = tokenizer.encode(FIXED_TEXT, true, false);
        try (LlamaModel f32 = LlamaModel.loadNative(checkpoint, WeightMode.FLOAT32, 0);
             LlamaModel q8 = LlamaModel.loadNative(checkpoint, WeightMode.INT8, 0)) {
            int[] floatGreedy = LlamaEval.greedyTokens(f32, bos, 200);
            double agreement = LlamaEval.agreement(floatGreedy, LlamaEval.greedyTokens(q8, bos, 200));
            int[] forced = new int[200];
            forced[0] = BpeTokenizer.BOS;
            System.arraycopy(floatGreedy, 0, forced, 1, 199);
            double nextToken = LlamaEval.nextTokenAgreement(f32, q8, forced);
            double pplFloat = LlamaEval.perplexity(f32, text);
            double pplInt8 = LlamaEval.perplexity(q8, text);
            double change = pplInt8 / pplFloat - 1;
            System.out.printf("stories260K int8 (group %d): %.1f%% identical greedy tokens over 200 steps, %.1f%% "
                    + "identical next tokens on the float greedy text; perplexity %.4f -> %.4f (%+.2f%%) on %d tokens; "
                    + "weights %d -> %d bytes%n", q8.groupSize(), 100 * agreement, 100 * nextToken, pplFloat, pplInt8,
                    100 * change, text.length, f32.residentBytes(), q8.residentBytes());
            assertTrue(pplFloat > 1 && pplFloat < 50, "float perplexity " + pplFloat + " is implausible");
            assertTrue(Math.abs(change) < 0.05, "int8 perplexity changed by " + change);
            assertTrue(agreement >= 0.25, "int8 greedy tokens agree on only " + agreement);
            assertTrue(nextToken >= 0.9, "int8 next tokens agree on only " + nextToken);
        }
    }
}

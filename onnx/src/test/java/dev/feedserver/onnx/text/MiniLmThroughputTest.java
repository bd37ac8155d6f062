package dev.feedserver.onnx.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Measures encoding throughput for item-sized texts (10 to 20 words) with one intra-op thread,
 * one text per run (the default) and 32 per run. Prints the figures; asserts only that the
 * vectors are sound.
 * Reproduce: {@code ./mvnw -B -o -q -pl native,embeddings,ranking,onnx -am package
 * -Dtest=MiniLmThroughputTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MiniLmThroughputTest {

    private static final int PASSES = 3;

    private static final String[] WORDS = (
            "new best easy guide how why the a of for with and your this week top ten review video photos "
            + "recipe pasta chicken garden travel city beach mountain football match season transfer goal "
            + "market stocks bank rates inflation startup funding phone camera laptop battery electric car "
            + "music album tour concert film series episode trailer science space rocket climate energy "
            + "health sleep running yoga coffee bread dog cat puppy home design kitchen budget tips").split(" ");

    static List<String> itemTexts(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 10 + random.nextInt(11);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    @Test
    void encodesItemTexts() {
        List<String> texts = itemTexts(512, 42);
        for (int batchSize : new int[] {MiniLmOptions.DEFAULT_BATCH_SIZE, 32}) {
            MiniLmOptions options = MiniLmOptions.defaults().withBatchSize(batchSize);
            try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(options)) {
                encoder.encode(texts.subList(0, 128)); // warm-up: the first runs allocate and plan
                double[] rates = new double[PASSES];
                for (int pass = 0; pass < PASSES; pass++) {
                    long start = System.nanoTime();
                    float[][] vectors = encoder.encode(texts);
                    rates[pass] = texts.size() / ((System.nanoTime() - start) / 1e9);
                    assertUnitNorms(vectors);
                }
                Arrays.sort(rates);
                System.out.printf("MiniLM throughput: %.0f texts/s, median of %d passes (%.0f to %.0f); %d texts of 10-20 words,"
                                + " batch %d, %d intra-op thread%n",
                        rates[PASSES / 2], PASSES, rates[0], rates[PASSES - 1], texts.size(), batchSize, options.intraOpThreads());
            }
        }
    }

    private static void assertUnitNorms(float[][] vectors) {
        for (float[] v : vectors) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
    }
}

package dev.feedserver.onnx.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real MiniLM model end to end: meaning, shape, batching, concurrency, limits, lifecycle. */
class MiniLmTextEncoderTest {

    private static final String DOG_PARK = "My golden retriever loves playing fetch in the park every morning.";
    private static final String DOG_WALKS = "Puppies need daily walks, training and plenty of play with their owners.";
    private static final String RATES = "The central bank raised interest rates by a quarter point to fight inflation.";

    private static final List<String> MIXED = List.of(
            DOG_PARK,
            "Hi",
            RATES,
            "Ten easy weeknight pasta recipes with fresh tomatoes, garlic and basil from the garden, ready in under thirty minutes.",
            DOG_WALKS,
            "Café crème brûlée — naïve façade 東京 🚀",
            "Electric cars",
            "How the new transfer rules change the title race for the top four football clubs this season.",
            "A beginner's guide to growing chillies on a sunny balcony.");

    /** The defaults: one text per run. */
    private static MiniLmTextEncoder encoder;
    /** Runs of up to 32 texts, padded. */
    private static MiniLmTextEncoder batched;

    @BeforeAll
    static void open() {
        encoder = MiniLmTextEncoder.open(MiniLmOptions.defaults());
        batched = MiniLmTextEncoder.open(MiniLmOptions.defaults().withBatchSize(32));
    }

    @AfterAll
    static void close() {
        encoder.close();
        batched.close();
    }

    private static MiniLmTokenizer tokenizer(int maxTokens) {
        return MiniLmTokenizer.open(ClasspathResource.read(MiniLmTextEncoder.TOKENIZER_RESOURCE), maxTokens,
                MiniLmOptions.defaultNativeCacheDir());
    }

    private static float[] one(String text) {
        return encoder.encode(List.of(text))[0];
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void describesItself() {
        assertEquals(384, encoder.dimension());
        assertEquals("all-MiniLM-L6-v2-q", encoder.name());
    }

    @Test
    void textsAboutDogsAreCloserToEachOtherThanToInterestRates() {
        float[][] v = encoder.encode(List.of(DOG_PARK, DOG_WALKS, RATES));
        double dogs = dot(v[0], v[1]);
        double parkRates = dot(v[0], v[2]);
        double walksRates = dot(v[1], v[2]);
        System.out.printf("MiniLM cosines: dogs %.3f, dog/rates %.3f and %.3f%n", dogs, parkRates, walksRates);
        assertTrue(dogs > parkRates + 0.2, "dogs " + dogs + " vs park/rates " + parkRates);
        assertTrue(dogs > walksRates + 0.2, "dogs " + dogs + " vs walks/rates " + walksRates);
    }

    @Test
    void everyEmbeddingHasUnitNorm() {
        for (float[] v : encoder.encode(MIXED)) {
            assertEquals(384, v.length);
            assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-5);
        }
    }

    @Test
    void aTextEncodedWithOthersEqualsTheTextEncodedAlone() {
        float[][] together = encoder.encode(MIXED);
        for (int i = 0; i < MIXED.size(); i++) {
            assertArrayEquals(one(MIXED.get(i)), together[i], 1e-5f, "text #" + i);
        }
    }

    @Test
    void paddedRunsStayCloseToTheTextAlone() {
        // one run of nine texts padded to the longest: padding is masked out of the mean, and
        // the only difference left is the run-wide activation range of the quantized graph
        float[][] padded = batched.encode(MIXED);
        double worst = 1;
        for (int i = 0; i < MIXED.size(); i++) {
            assertEquals(1.0, Math.sqrt(dot(padded[i], padded[i])), 1e-5);
            worst = Math.min(worst, dot(padded[i], one(MIXED.get(i))));
        }
        System.out.printf("MiniLM padded run of %d vs alone: worst cosine %.4f%n", MIXED.size(), worst);
        assertTrue(worst > 0.97, "worst cosine " + worst);
    }

    @Test
    void eachSubBatchIsOneRunAndLandsInPlace() {
        try (MiniLmTextEncoder fours = MiniLmTextEncoder.open(MiniLmOptions.defaults().withBatchSize(4))) {
            float[][] all = fours.encode(MIXED);
            List<float[]> byRun = new ArrayList<>();
            for (int first = 0; first < MIXED.size(); first += 4) {
                byRun.addAll(List.of(fours.encode(MIXED.subList(first, Math.min(MIXED.size(), first + 4)))));
            }
            for (int i = 0; i < MIXED.size(); i++) {
                assertArrayEquals(byRun.get(i), all[i], "text #" + i);
            }
        }
    }

    @Test
    void repeatedCallsGiveIdenticalVectors() {
        for (MiniLmTextEncoder e : List.of(encoder, batched)) {
            float[][] first = e.encode(MIXED);
            float[][] second = e.encode(MIXED);
            for (int i = 0; i < MIXED.size(); i++) {
                assertArrayEquals(first[i], second[i], "text #" + i);
            }
        }
    }

    @Test
    void textsWithoutTokensGiveZerosAndLeaveTheirNeighboursAlone() {
        List<String> texts = List.of("", DOG_PARK, "   \t\n", RATES);
        float[][] v = encoder.encode(texts);
        assertArrayEquals(new float[384], v[0]);
        assertArrayEquals(new float[384], v[2]);
        assertArrayEquals(one(DOG_PARK), v[1], 1e-5f);
        assertArrayEquals(one(RATES), v[3], 1e-5f);
        assertArrayEquals(new float[384], one(""));
        assertEquals(0, encoder.encode(List.of()).length);
        // in a padded run the empty texts take no row, and the others keep their places
        float[][] b = batched.encode(texts);
        assertArrayEquals(new float[384], b[0]);
        assertArrayEquals(new float[384], b[2]);
        assertArrayEquals(batched.encode(List.of(DOG_PARK, RATES))[1], b[3]);
        assertArrayEquals(new float[384], batched.encode(List.of("", " "))[1]);
    }

    @Test
    void fourThreadsGetTheSameVectorsAsOneThread() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            texts.addAll(MIXED);
        }
        for (MiniLmTextEncoder e : List.of(encoder, batched)) {
            float[][] sequential = e.encode(texts);
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<float[][]>> runs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    runs.add(pool.submit(() -> {
                        float[][] last = null;
                        for (int round = 0; round < 3; round++) {
                            last = e.encode(texts);
                        }
                        return last;
                    }));
                }
                for (Future<float[][]> run : runs) {
                    float[][] concurrent = run.get();
                    for (int i = 0; i < texts.size(); i++) {
                        assertArrayEquals(sequential[i], concurrent[i], "text #" + i);
                    }
                }
            }
        }
    }

    @Test
    void longTextsAreCutAtMaxTokens() {
        String head = String.join(" ", Collections.nCopies(40, "the river flows past the old mill"));
        String tailA = " quantum computing breakthroughs".repeat(400);
        String tailB = " medieval castle architecture".repeat(400);
        try (MiniLmTokenizer tokenizer = tokenizer(128)) {
            TokenBatch batch = tokenizer.tokenize(List.of(head + tailA, "short text"), 0);
            assertEquals(128, batch.length());
            assertEquals(102, batch.inputIds()[127], "the last kept token is [SEP]");
        }
        float[][] v = encoder.encode(List.of(head + tailA, head + tailB, tailA, tailB));
        // the head alone fills the 128 tokens, so the different tails are cut off
        assertArrayEquals(v[0], v[1]);
        assertEquals(1.0, Math.sqrt(dot(v[0], v[0])), 1e-5);
        // while on their own the tails are different texts
        assertTrue(dot(v[2], v[3]) < 0.9, "tails alone: cosine " + dot(v[2], v[3]));
    }

    @Test
    void maxTokensIsConfigurable() {
        try (MiniLmTokenizer tokenizer = tokenizer(16)) {
            assertEquals(16, tokenizer.tokenize(List.of(RATES + " " + DOG_PARK), 0).length());
        }
        try (MiniLmTextEncoder shortOne = MiniLmTextEncoder.open(MiniLmOptions.defaults().withMaxTokens(16))) {
            float[] cut = shortOne.encode(List.of(RATES + " " + DOG_PARK))[0];
            assertEquals(1.0, Math.sqrt(dot(cut, cut)), 1e-5);
            assertTrue(dot(cut, one(RATES)) > dot(cut, one(DOG_PARK)), "the kept head is about rates");
        }
    }

    @Test
    void nullTextsAreRejectedWithTheirIndex() {
        List<String> withNull = Arrays.asList(DOG_PARK, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(withNull));
        assertTrue(e.getMessage().contains("#1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(null));
    }

    @Test
    void closeIsIdempotentAndLaterEncodesFail() {
        MiniLmTextEncoder e = MiniLmTextEncoder.open(MiniLmOptions.defaults());
        assertEquals(384, e.encode(List.of(DOG_PARK))[0].length);
        e.close();
        e.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> e.encode(List.of(DOG_PARK)));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void djlExtractsItsLibraryIntoOurCacheAndSendsNoTelemetry() {
        assumeTrue(System.getenv(DjlNativeSetup.CACHE_DIR_KEY) == null && System.getenv(DjlNativeSetup.OPT_OUT_KEY) == null,
                "the environment configures DJL itself");
        assertEquals("true", System.getProperty(DjlNativeSetup.OPT_OUT_KEY));
        Path cache = MiniLmOptions.defaultNativeCacheDir();
        assertEquals(cache.toAbsolutePath().toString(), System.getProperty(DjlNativeSetup.CACHE_DIR_KEY));
        try (var libraries = Files.walk(cache.resolve("tokenizers"))) {
            assertTrue(libraries.anyMatch(p -> p.getFileName().toString().startsWith("libtokenizers")), "no library under " + cache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aMissingResourceIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClasspathResource.read("no-such-model.onnx"));
        assertTrue(e.getMessage().contains("no-such-model.onnx"), e.getMessage());
    }

    @Test
    void optionsOutsideTheirRangesAreRejected() {
        MiniLmOptions d = MiniLmOptions.defaults();
        assertEquals(128, d.maxTokens());
        assertEquals(1, d.batchSize());
        assertEquals(1, d.intraOpThreads());
        assertThrows(IllegalArgumentException.class, () -> d.withMaxTokens(257));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxTokens(7));
        assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> d.withIntraOpThreads(0));
        assertThrows(NullPointerException.class, () -> d.withNativeCacheDir(null));
    }
}

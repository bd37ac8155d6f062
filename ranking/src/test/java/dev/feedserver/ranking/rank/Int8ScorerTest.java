package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.Fp8Format;
import dev.feedserver.ranking.feed.FeedPipeline;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model-eval forms over logged examples: the int8 scorer is the served arithmetic bit for
 * bit, the float scorer is the trainer's validation pass, and the FP8-weight, static-int8 and
 * native-float forms track float.
 */
class Int8ScorerTest {
    private static final long NOW = 1_767_225_600_000L;
    private static RankerFixture fixture;

    @BeforeAll
    static void build() {
        fixture = new RankerFixture(31, 3);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void theInt8ScorerOnATrainingSetEqualsTheServedRankerBitForBit() {
        RankerModel model = fixture.trained.model();
        try (Int8Ranker ranker = new Int8Ranker(model, fixture.model, n -> { })) {
            FeatureAssembler assembler = ranker.assembler();
            TrainingSet set = new TrainingSet(model.schema());
            float[] served = new float[0];
            float[] candidate = new float[model.schema().width(FeatureScope.CANDIDATE)];
            float[] itemBlock = new float[model.schema().width(FeatureScope.ITEM)];
            for (int u = 0; u < 40; u += 4) {
                String user = fixture.world.userIds().get(u);
                FeedPipeline.Retrieved retrieved = fixture.pipeline.retrieve(user);
                int n = retrieved.count();
                int[] items = Arrays.copyOf(retrieved.items(), n);
                RequestFeatures r = assembler.newRequest(n);
                assembler.loadRequest(r, user, retrieved.longTermVector(), retrieved.sessionVector(), NOW);
                assembler.writeCandidates(r, items, Arrays.copyOf(retrieved.sources(), n), n);
                float[] logits = new float[n * Objective.COUNT];
                ranker.score(r, items, n, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, new float[n], logits);
                int at = served.length;
                served = Arrays.copyOf(served, at + logits.length);
                System.arraycopy(logits, 0, served, at, logits.length);
                set.beginQuery(r.requestBlock(), NOW);
                for (int i = 0; i < n; i++) {
                    FeatureAssembler.readCandidate(r, i, candidate, 0);
                    assembler.writeItem(items[i], itemBlock, 0);
                    set.addExample(items[i], candidate, 0, 0, itemBlock);
                }
            }
            assertTrue(set.examples() > 500, "enough candidates to compare: " + set.examples());
            float[] scored;
            try (Int8Scorer scorer = new Int8Scorer(model, set)) {
                scored = scorer.scoreQueries(set, 0, set.queries(), q -> { });
            }
            assertArrayEquals(served, scored, "int8 scorer logits == served logits, bit for bit");
            float[] reference = new FloatScorer("float", model, set).scoreQueries(set, 0, set.queries(), q -> { });
            assertFalse(Arrays.equals(reference, scored), "the int8 arithmetic is not the float one");
        }
    }

    @Test
    void theFloatScorerReproducesTheTrainersValidationAuc() {
        TrainingSet set = fixture.outcome.set();
        int from = fixture.trained.trainQueries();
        float[] logits = new FloatScorer("float", fixture.trained.model(), set).scoreQueries(set, from, set.queries(), q -> { });
        ExampleMetrics.Quality quality = ExampleMetrics.of(logits, set, from, set.queries(), ObjectiveWeights.DEFAULT, 10);
        assertArrayEquals(fixture.trained.validationAuc(), quality.auc(), 0.0, "the same held-out queries and math");
        assertTrue(quality.auc()[Objective.CLICK.ordinal()] > 0.6, "the ranker learned something: " + quality.auc()[0]);
        assertEquals(set.queries() - from, quality.queries(), "every logged query has its clicked item");
    }

    @Test
    void fp8WeightScoresTrackFloat() {
        TrainingSet set = fixture.outcome.set();
        int from = fixture.trained.trainQueries();
        RankerModel model = fixture.trained.model();
        RankerModel fp8 = Fp8Weights.roundTrip(model, Fp8Format.E4M3);
        float[] reference = new FloatScorer("float", model, set).scoreQueries(set, from, set.queries(), q -> { });
        float[] rounded = new FloatScorer("fp8", fp8, set).scoreQueries(set, from, set.queries(), q -> { });
        assertFalse(Arrays.equals(reference, rounded), "FP8 rounding changes the weights");
        double click = ExampleMetrics.spearman(ExampleMetrics.column(reference, Objective.CLICK),
                ExampleMetrics.column(rounded, Objective.CLICK));
        double combined = ExampleMetrics.spearman(ExampleMetrics.combined(reference, ObjectiveWeights.DEFAULT),
                ExampleMetrics.combined(rounded, ObjectiveWeights.DEFAULT));
        assertTrue(click > 0.99, "Spearman of fp8 vs float click logits " + click);
        assertTrue(combined > 0.99, "Spearman of fp8 vs float combined scores " + combined);
    }

    @Test
    void fp8RoundingStaysWithinHalfAnE4m3StepPerChannel() {
        int inputs = 37;
        int outputs = 5;
        float[] w = new float[inputs * outputs];
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * (1 + i % outputs)); // channels of different magnitude
        }
        w[3 * outputs + 4] = 0f;
        float[] out = Fp8Weights.roundTrip(w, inputs, outputs, Fp8Format.E4M3);
        for (int j = 0; j < outputs; j++) {
            float absmax = 0;
            for (int k = 0; k < inputs; k++) {
                absmax = Math.max(absmax, Math.abs(w[k * outputs + j]));
            }
            float scale = absmax / 448f;
            for (int k = 0; k < inputs; k++) {
                float x = w[k * outputs + j];
                float y = out[k * outputs + j];
                // 3 mantissa bits: half a step is 2^-4 relative for normals; subnormals step 2^-9 x scale.
                float bound = Math.abs(x) / 16f + scale * 0x1p-10f + Math.ulp(absmax) * 2;
                assertTrue(Math.abs(x - y) <= bound, "channel " + j + " input " + k + ": " + x + " -> " + y);
            }
        }
        assertEquals(0f, out[3 * outputs + 4], "zero stays zero");
    }

    @Test
    void staticInt8AndNativeFloatTrackFloat() {
        TrainingSet set = fixture.outcome.set();
        int from = fixture.trained.trainQueries();
        RankerModel model = fixture.trained.model();
        float[] reference = new FloatScorer("float", model, set).scoreQueries(set, from, set.queries(), q -> { });
        StaticInt8Scorer calibrated = new StaticInt8Scorer(model, set, 0, from, 99.99);
        for (float scale : calibrated.inputScales()) {
            assertTrue(scale > 0f && Float.isFinite(scale), "a usable activation scale: " + scale);
        }
        float[] staticLogits = calibrated.scoreQueries(set, from, set.queries(), q -> { });
        double click = ExampleMetrics.spearman(ExampleMetrics.column(reference, Objective.CLICK),
                ExampleMetrics.column(staticLogits, Objective.CLICK));
        assertTrue(click > 0.97, "Spearman of static int8 vs float click logits " + click);
        float[] nativeLogits = new NativeFloatScorer(model, set).scoreQueries(set, from, set.queries(), q -> { });
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], nativeLogits[i], 1e-3f * (1 + Math.abs(reference[i])), "native float logit " + i);
        }
    }

    @Test
    void aScorerRefusesItemsTheSetDidNotStore() {
        TrainingSet set = fixture.outcome.set();
        try (Int8Scorer scorer = new Int8Scorer(fixture.trained.model(), set)) {
            int missing = -1;
            for (int item = 0; item < fixture.model.catalog().size() && missing < 0; item++) {
                if (set.itemBlock(item) == null) {
                    missing = item;
                }
            }
            int[] items = {missing < 0 ? Integer.MAX_VALUE : missing};
            float[] candidates = new float[set.candidateWidth()];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(set.request(0), items, candidates, 0, 1, new float[Objective.COUNT]));
            assertTrue(e.getMessage().contains("no stored ITEM block"), e.getMessage());
        }
    }
}

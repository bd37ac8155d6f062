package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.feed.RerankConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served int8 ranker against the float model it came from, in the pipeline, and under hot swaps. */
class Int8RankerTest {
    private static RankerFixture fixture;

    @BeforeAll
    static void build() {
        fixture = new RankerFixture(23, 3);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void int8ScoresTrackTheFloatModel() {
        RankerModel model = fixture.trained.model();
        try (Int8Ranker ranker = new Int8Ranker(model, fixture.model, n -> { })) {
            double correlationSum = 0;
            int users = 0;
            float worst = 0;
            float[] dense = new float[model.schema().width()];
            float[] logits = new float[Objective.COUNT];
            for (int u = 0; u < 60; u += 3) {
                String user = fixture.world.userIds().get(u);
                FeedPipeline.Retrieved retrieved = fixture.pipeline.retrieve(user);
                int n = retrieved.count();
                int[] items = java.util.Arrays.copyOf(retrieved.items(), n);
                byte[] sources = java.util.Arrays.copyOf(retrieved.sources(), n);
                RequestFeatures r = ranker.assembler().newRequest(n);
                ranker.assembler().loadRequest(r, user, retrieved.longTermVector(), retrieved.sessionVector(), 1_767_225_600_000L);
                ranker.assembler().writeCandidates(r, items, sources, n);
                float[] int8 = new float[n];
                float[] int8Logits = new float[n * Objective.COUNT];
                ranker.score(r, items, n, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, int8, int8Logits);
                float[] reference = new float[n];
                for (int i = 0; i < n; i++) {
                    ranker.assembler().writeDense(r, items[i], i, dense, 0);
                    model.forwardDense(dense, 0, logits);
                    reference[i] = ObjectiveWeights.DEFAULT.combine(logits, 0);
                    worst = Math.max(worst, Math.abs(logits[0] - int8Logits[i * Objective.COUNT]));
                }
                correlationSum += spearman(reference, int8);
                users++;
            }
            double mean = correlationSum / users;
            assertTrue(mean > 0.98, "mean Spearman correlation of int8 vs float scores " + mean);
            assertTrue(worst < 0.5f, "worst click-logit difference " + worst);
        }
    }

    @Test
    void thePipelineRanksWithTheServedModelAndReportsIt() {
        try (RankerRegistry registry = new RankerRegistry()) {
            registry.swap(new Int8Ranker(fixture.trained.model(), fixture.model, n -> { }));
            FeedPipeline pipeline = new FeedPipeline(fixture.model, FeedConfig.DEFAULT.withRerank(RerankConfig.SCORE_ORDER), registry, null);
            FeedResult feed = pipeline.feed(fixture.world.userIds().get(5), 20);
            assertEquals(fixture.trained.model().version(), feed.rankerVersion());
            assertNotNull(feed.heads());
            assertEquals(20 * Objective.COUNT, feed.heads().length);
            for (int i = 1; i < feed.size(); i++) {
                assertTrue(feed.scores()[i - 1] >= feed.scores()[i], "scores descend");
            }
            for (float p : feed.heads()) {
                assertTrue(p >= 0f && p <= 1f, "head probabilities are probabilities: " + p);
            }
            // Weighting only the negative head inverts what matters: the order changes.
            FeedResult negative = pipeline.feed(fixture.world.userIds().get(5), 20,
                    new ObjectiveWeights(new float[] {0f, 0f, 0f, 1f}), System.currentTimeMillis());
            assertTrue(!java.util.Arrays.equals(feed.items(), negative.items()), "objective weights change the ranking");
            FeedResult linear = new FeedPipeline(fixture.model, FeedConfig.DEFAULT).feed(fixture.world.userIds().get(5), 20);
            assertEquals(FeedPipeline.LINEAR, linear.rankerVersion());
        }
    }

    @Test
    void servedImpressionsJoinedWithClicksMoveTheClickCalibration() {
        // Small holdout and frequent comparisons so a short run publishes; one page kept per user.
        OnlineCalibrator calibrator = new OnlineCalibrator(new OnlineCalibrationConfig(true, 0.05f, 0.05f, 5, 50, 20, 0.002, 10, 1000));
        try (RankerRegistry registry = new RankerRegistry(calibrator)) {
            registry.swap(new Int8Ranker(fixture.trained.model(), fixture.model, n -> { }));
            String version = fixture.trained.model().version();
            FeedPipeline pipeline = new FeedPipeline(fixture.model, FeedConfig.DEFAULT.withRerank(RerankConfig.SCORE_ORDER), registry, null);
            fixture.applier.listen(calibrator);
            try {
                long now = System.currentTimeMillis();
                for (int round = 0; round < 6; round++) {
                    for (int u = 100; u < 300; u++) {
                        String user = fixture.world.userIds().get(u);
                        FeedResult feed = pipeline.feed(user, 10);
                        // The user clicks the first item on every page: a click rate of 1 in 10.
                        String item = fixture.model.catalog().item(feed.items()[0]).id();
                        fixture.applier.apply(new dev.feedserver.ranking.learning.Interaction(user, item,
                                dev.feedserver.ranking.learning.EventType.CLICK, 0, now));
                    }
                }
            } finally {
                fixture.applier.listen(null);
            }
            CalibrationState state = calibrator.state();
            CalibrationState.Head click = state.heads().get(Objective.CLICK.ordinal());
            assertEquals(version, state.version());
            assertTrue(state.joined() >= 1000, "clicks joined with their impressions: " + state.joined());
            assertTrue(state.expired() > 0 && state.steps() > 0 && click.publishes() + click.rollbacks() > 0, state.toString());
            assertTrue(click.candidateA() != 1f || click.candidateB() != 0f, "the click head's calibration moved: " + click);
            // The served calibration is the published one; heads in responses are calibrated by it.
            HeadCalibration served = calibrator.calibration(version);
            assertEquals(click.a(), served.a(Objective.CLICK.ordinal()));
            FeedResult feed = pipeline.feed(fixture.world.userIds().get(5), 10);
            for (float p : feed.heads()) {
                assertTrue(p >= 0f && p <= 1f, "calibrated head probabilities are probabilities: " + p);
            }
            // A new model version starts over at the identity.
            registry.swap(new Int8Ranker(fixture.trained.model(), fixture.model, n -> { }));
            assertEquals(0, calibrator.state().joined());
            assertSame(HeadCalibration.IDENTITY, calibrator.calibration(version));
        }
    }

    @Test
    void aPutItemGetsFreshFeaturesInTheItemCache() {
        RankerModel model = fixture.trained.model();
        try (Int8Ranker ranker = new Int8Ranker(model, fixture.model, n -> { })) {
            int row = fixture.model.upsertItem(new Item("fresh-item-1", "a brand new story", "", List.of("topic-1"), System.currentTimeMillis()));
            String user = fixture.world.userIds().get(2);
            FeedPipeline.Retrieved retrieved = fixture.pipeline.retrieve(user);
            RequestFeatures r = ranker.assembler().newRequest(1);
            ranker.assembler().loadRequest(r, user, retrieved.longTermVector(), retrieved.sessionVector(), System.currentTimeMillis());
            ranker.assembler().writeCandidates(r, new int[] {row}, new byte[] {8}, 1);
            float[] logits = new float[Objective.COUNT];
            float[] score = new float[1];
            ranker.score(r, new int[] {row}, 1, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, score, logits);
            float[] dense = new float[model.schema().width()];
            float[] reference = new float[Objective.COUNT];
            ranker.assembler().writeDense(r, row, 0, dense, 0);
            model.forwardDense(dense, 0, reference);
            assertEquals(reference[0], logits[0], 0.3f, "the new item's click logit");
        }
    }

    @Test
    void hotSwapsUnderConcurrentRequestsLoseNone() throws Exception {
        RankerModel first = fixture.trained.model();
        RankerModel second = first.withVersion("swapped-in", ObjectiveWeights.DEFAULT);
        List<Int8Ranker> made = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger feeds = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (RankerRegistry registry = new RankerRegistry()) {
            Int8Ranker initial = new Int8Ranker(first, fixture.model, n -> { });
            made.add(initial);
            registry.swap(initial);
            FeedPipeline pipeline = new FeedPipeline(fixture.model, FeedConfig.DEFAULT, registry, null);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                Thread reader = new Thread(() -> {
                    int u = seed;
                    while (!stop.get()) {
                        try {
                            FeedResult feed = pipeline.feed(fixture.world.userIds().get(u++ % 100), 10);
                            String v = feed.rankerVersion();
                            if (!v.equals(first.version()) && !v.equals(second.version())) {
                                throw new AssertionError("unexpected version " + v);
                            }
                            if (feed.size() == 0 || feed.heads() == null) {
                                throw new AssertionError("empty or unranked feed during a swap");
                            }
                            feeds.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int swap = 0; swap < 24; swap++) {
                Int8Ranker next = new Int8Ranker(swap % 2 == 0 ? second : first, fixture.model, n -> { });
                made.add(next);
                registry.swap(next);
                Thread.sleep(15);
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            assertTrue(failures.isEmpty(), () -> "failures during swaps: " + failures.peek());
            assertTrue(feeds.get() > 24, "requests ran during the swaps: " + feeds.get());
            assertEquals(25, registry.swaps());
        }
        // Every ranker was closed once drained, the last one by the registry's close.
        for (Int8Ranker ranker : made) {
            assertThrows(IllegalStateException.class, ranker::weightBytes);
        }
    }

    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += ra[i];
            mb += rb[i];
        }
        ma /= a.length;
        mb /= a.length;
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < a.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return num / Math.sqrt(da * db);
    }

    private static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[order[i]] = i;
        }
        return r;
    }
}

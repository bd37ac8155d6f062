package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Joining impressions with events, learning the calibration, and the holdout guard. */
class OnlineCalibratorTest {
    private static final String VERSION = "v1";

    /** One impression per user: the next feed of that user expires an unclicked one as a negative. */
    private static OnlineCalibrationConfig config(float rate) {
        return new OnlineCalibrationConfig(true, rate, 0.05f, 5, 2000, 200, 0.002, 1, 10_000);
    }

    private static float gaussian(SplittableRandom random, double sd) {
        return (float) (sd * Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()));
    }

    /**
     * Serves {@code n} impressions to one user, each clicked with probability
     * {@code sigmoid(trueA * click logit + trueB)}, inverted when {@code poisoned}.
     */
    private static void stream(OnlineCalibrator calibrator, SplittableRandom random, int n, int firstItem, float trueA, float trueB,
                               boolean poisoned) {
        float[] logits = new float[Objective.COUNT];
        int[] items = new int[1];
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < Objective.COUNT; h++) {
                logits[h] = gaussian(random, 1.5);
            }
            items[0] = firstItem + i;
            calibrator.recordImpressions(VERSION, "u", items, logits, 1);
            boolean click = random.nextDouble() < ObjectiveWeights.sigmoid(trueA * logits[0] + trueB);
            if (click != poisoned) {
                calibrator.applied(new Interaction("u", "i" + items[0], EventType.CLICK, 0, 0), items[0], 1f);
            }
        }
    }

    @Test
    void aAndBMoveTowardTheTrueCalibrationAndHoldoutLossFalls() {
        OnlineCalibrator calibrator = new OnlineCalibrator(config(0.02f));
        calibrator.reset(VERSION);
        stream(calibrator, new SplittableRandom(7), 120_000, 0, 2f, -1f, false);
        CalibrationState state = calibrator.state();
        CalibrationState.Head click = state.heads().get(Objective.CLICK.ordinal());
        assertTrue(Math.abs(click.a() - 2f) < 0.35f, "published a " + click.a() + " near 2");
        assertTrue(Math.abs(click.b() + 1f) < 0.35f, "published b " + click.b() + " near -1");
        assertTrue(click.acceptedLoss() < click.identityLoss() - 0.02,
                "holdout loss " + click.acceptedLoss() + " below the identity's " + click.identityLoss());
        HeadCalibration served = calibrator.calibration(VERSION);
        assertEquals(click.a(), served.a(0));
        assertSame(HeadCalibration.IDENTITY, calibrator.calibration("another-version"));
        assertTrue(state.joined() > 10_000 && state.expired() > 10_000, "joins " + state.joined() + " and expiries " + state.expired());
        assertTrue(state.holdout() == 2000 && state.steps() > 90_000, "holdout " + state.holdout() + ", steps " + state.steps());
    }

    @Test
    void aPoisonedBurstIsRolledBack() {
        OnlineCalibrator calibrator = new OnlineCalibrator(config(0.01f));
        calibrator.reset(VERSION);
        SplittableRandom random = new SplittableRandom(11);
        stream(calibrator, random, 20_000, 0, 1f, 0f, false);
        long rollbacksBefore = calibrator.state().heads().get(0).rollbacks();
        stream(calibrator, random, 1_000, 20_000, 1f, 0f, true);
        CalibrationState.Head click = calibrator.state().heads().get(0);
        assertTrue(click.rollbacks() > rollbacksBefore, "the burst's candidates were rolled back");
        HeadCalibration served = calibrator.calibration(VERSION);
        assertTrue(served.a(0) > 0.7f && Math.abs(served.b(0)) < 0.3f, "the served click calibration stayed near the truth: " + served);
    }

    @Test
    void aPoisonedTrainingStreamNeverPublishesWorseThanIdentityByMoreThanTheMargin() {
        OnlineCalibrationConfig config = config(0.01f);
        CalibrationLearner learner = new CalibrationLearner(config);
        SplittableRandom random = new SplittableRandom(3);
        float[] logits = new float[Objective.COUNT];
        for (int i = 0; i < 40_000; i++) {
            for (int h = 0; h < Objective.COUNT; h++) {
                logits[h] = gaussian(random, 1.5);
            }
            // True probabilities are the model's own (the identity is right); training sees them inverted.
            int labels = 0;
            for (int h = 0; h < Objective.COUNT; h++) {
                labels |= random.nextDouble() < ObjectiveWeights.sigmoid(logits[h]) ? 1 << h : 0;
            }
            if (i % config.holdoutEvery() == 0) {
                learner.holdout(logits, 0, labels);
                continue;
            }
            learner.train(logits, 0, ~labels & 0xF);
            if (learner.steps() % config.evaluateEvery() == 0) {
                HeadCalibration published = learner.published();
                for (int h = 0; h < Objective.COUNT; h++) {
                    double served = learner.holdoutLoss(h, published.a(h), published.b(h));
                    double identity = learner.holdoutLoss(h, 1f, 0f);
                    assertTrue(served <= identity + config.margin() + 1e-9, "head " + h + ": served " + served + " vs identity " + identity);
                }
            }
        }
        assertTrue(learner.rollbacks() > 100, "rollbacks " + learner.rollbacks());
    }

    @Test
    void labelsFollowTheDocumentedMapping() {
        assertEquals(Objective.CLICK.bit(), OnlineCalibrator.labelsOf(EventType.CLICK, 1f));
        assertEquals(Objective.CLICK.bit() | Objective.LIKE.bit(), OnlineCalibrator.labelsOf(EventType.SHARE, 1f));
        assertEquals(Objective.CLICK.bit() | Objective.LONG_DWELL.bit(), OnlineCalibrator.labelsOf(EventType.DWELL, 1f));
        assertEquals(-1, OnlineCalibrator.labelsOf(EventType.DWELL, 0f));
        assertEquals(-1, OnlineCalibrator.labelsOf(EventType.VIEW, 0f));
        assertEquals(Objective.NEGATIVE.bit(), OnlineCalibrator.labelsOf(EventType.HIDE, -0.5f));
    }

    @Test
    void impressionsAreBoundedPerUserAndAcrossUsers() {
        OnlineCalibrator calibrator = new OnlineCalibrator(new OnlineCalibrationConfig(true, 0.01f, 0.05f, 5, 2000, 200, 0.002, 3, 16));
        calibrator.reset(VERSION);
        float[] logits = new float[5 * Objective.COUNT];
        // 5 items into a ring of 3: the first two expire; then 40 users through an LRU of 16 (one per stripe).
        calibrator.recordImpressions(VERSION, "a", new int[] {1, 2, 3, 4, 5}, logits, 5);
        assertEquals(2, calibrator.state().expired());
        calibrator.applied(new Interaction("a", "i1", EventType.CLICK, 0, 0), 1, 1f);
        calibrator.applied(new Interaction("a", "i5", EventType.CLICK, 0, 0), 5, 1f);
        calibrator.applied(new Interaction("a", "i5", EventType.CLICK, 0, 0), 5, 1f);
        assertEquals(1, calibrator.state().joined(), "an expired impression and a second event find nothing");
        for (int u = 0; u < 40; u++) {
            calibrator.recordImpressions(VERSION, "user-" + u, new int[] {7}, logits, 1);
        }
        assertTrue(calibrator.state().expired() > 2 + 40 - 16 - 1, "evicted users' impressions expire: " + calibrator.state().expired());
        calibrator.recordImpressions("old-version", "a", new int[] {9}, logits, 1);
        calibrator.reset("v2");
        assertEquals(0, calibrator.state().impressions());
        assertSame(HeadCalibration.IDENTITY, calibrator.calibration("v2"));
    }
}

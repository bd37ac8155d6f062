package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Training on a planted signal: the trainer must find it, across scopes. */
class RankerTrainerTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema(4, 0, 2, 2, 4);

    /**
     * click: the request's first feature and the item's first feature agree in sign (needs the
     * request and item scopes together); like: a candidate feature is high; long dwell: both;
     * negative: an item feature is very low.
     */
    static TrainingSet planted(int queries, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int items = 60;
        float[][] itemBlocks = new float[items][SCHEMA.width(FeatureScope.ITEM)];
        for (float[] block : itemBlocks) {
            for (int k = 0; k < block.length; k++) {
                block[k] = (float) random.nextGaussian();
            }
        }
        TrainingSet set = new TrainingSet(SCHEMA);
        float[] request = new float[SCHEMA.width(FeatureScope.REQUEST)];
        float[] candidate = new float[SCHEMA.width(FeatureScope.CANDIDATE)];
        for (int q = 0; q < queries; q++) {
            for (int k = 0; k < request.length; k++) {
                request[k] = (float) random.nextGaussian();
            }
            set.beginQuery(request, q);
            for (int c = 0; c < 8; c++) {
                int item = random.nextInt(items);
                for (int k = 0; k < candidate.length; k++) {
                    candidate[k] = (float) random.nextGaussian();
                }
                float[] ib = itemBlocks[item];
                int labels = 0;
                if (request[0] * ib[0] > 0.1f) {
                    labels |= Objective.CLICK.bit();
                }
                if (candidate[5] > 0.5f) {
                    labels |= Objective.LIKE.bit();
                }
                if (candidate[5] > 0.5f && request[0] * ib[0] > 0.1f) {
                    labels |= Objective.LONG_DWELL.bit();
                }
                if (ib[1] < -1f) {
                    labels |= Objective.NEGATIVE.bit();
                }
                set.addExample(item, candidate, 0, labels, ib);
            }
        }
        return set;
    }

    @Test
    void learnsAPlantedSignalInEveryHead() {
        TrainingSet set = planted(2_000, 1);
        RankerTrainer.Config config = new RankerTrainer.Config(8, 8, 3e-3f, 0f, 0.2, 48, 24, 3);
        RankerTrainer.Result result = new RankerTrainer(config).train(set, "planted", (e, d, t) -> { });
        double[] auc = result.validationAuc();
        assertEquals(400, result.validationQueries());
        assertTrue(auc[Objective.CLICK.ordinal()] > 0.9, "click AUC " + auc[0]);
        assertTrue(auc[Objective.LIKE.ordinal()] > 0.9, "like AUC " + auc[1]);
        assertTrue(auc[Objective.LONG_DWELL.ordinal()] > 0.85, "long dwell AUC " + auc[2]);
        assertTrue(auc[Objective.NEGATIVE.ordinal()] > 0.9, "negative AUC " + auc[3]);
        // Training lowered the loss from the first epoch to the best one.
        assertTrue(result.epochs().get(result.bestEpoch() - 1).validationLoss() < result.epochs().get(0).validationLoss()
                || result.bestEpoch() == 1);
    }

    @Test
    void onLabelsThatAreNoiseTheHeldOutQueriesStayAtChance() {
        // Labels independent of the features: the model can only memorise its training queries,
        // so held-out AUC stays near 0.5; it would not if validation queries leaked into training.
        SplittableRandom random = new SplittableRandom(9);
        TrainingSet set = new TrainingSet(SCHEMA);
        float[] request = new float[SCHEMA.width(FeatureScope.REQUEST)];
        float[] candidate = new float[SCHEMA.width(FeatureScope.CANDIDATE)];
        float[] item = new float[SCHEMA.width(FeatureScope.ITEM)];
        for (int q = 0; q < 800; q++) {
            for (int k = 0; k < request.length; k++) {
                request[k] = (float) random.nextGaussian();
            }
            set.beginQuery(request, q);
            for (int c = 0; c < 8; c++) {
                for (int k = 0; k < candidate.length; k++) {
                    candidate[k] = (float) random.nextGaussian();
                }
                for (int k = 0; k < item.length; k++) {
                    item[k] = (float) random.nextGaussian();
                }
                set.addExample(q * 8 + c, candidate, 0, random.nextInt(4) == 0 ? Objective.CLICK.bit() : 0, item);
            }
        }
        RankerTrainer.Result result = new RankerTrainer(new RankerTrainer.Config(6, 8, 3e-3f, 0f, 0.25, 48, 24, 3))
                .train(set, "noise", (e, d, t) -> { });
        double click = result.validationAuc()[Objective.CLICK.ordinal()];
        assertTrue(Math.abs(click - 0.5) < 0.08, "held-out click AUC on noise labels " + click);
        double[] trainAuc = new double[Objective.COUNT];
        RankerTrainer.evaluate(result.model(), set, 0, result.trainQueries(), trainAuc);
        assertTrue(trainAuc[Objective.CLICK.ordinal()] > click + 0.05,
                "the model did fit its own training queries (" + trainAuc[0] + "), so chance on held-out ones means no leak");
    }

    @Test
    void aucIsRankBased() {
        float[] scores = {0.1f, 0.4f, 0.35f, 0.8f};
        boolean[] labels = {false, true, false, true};
        assertEquals(1.0, RankerTrainer.auc(scores, labels, 4), 1e-12);
        float[] tied = {0.5f, 0.5f};
        assertEquals(0.5, RankerTrainer.auc(tied, new boolean[] {true, false}, 2), 1e-12);
        assertTrue(Double.isNaN(RankerTrainer.auc(tied, new boolean[] {true, true}, 2)));
    }
}

package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The affine calibration of the head logits: identity, formula, validation. */
class HeadCalibrationTest {

    @Test
    void theIdentityCombinesLikeTheObjectiveWeights() {
        float[] logits = {0.3f, -1.2f, 2.5f, -0.7f, 1f, 1f, 1f, 1f};
        ObjectiveWeights w = ObjectiveWeights.DEFAULT;
        assertEquals(w.combine(logits, 0), HeadCalibration.IDENTITY.combine(w, logits, 0), 1e-7f);
        assertEquals(w.combine(logits, 4), HeadCalibration.IDENTITY.combine(w, logits, 4), 1e-7f);
    }

    @Test
    void eachHeadIsScaledAndShiftedBeforeTheSigmoid() {
        HeadCalibration c = new HeadCalibration(new float[] {2f, 1f, 0.5f, 1f}, new float[] {-1f, 0.5f, 0f, 0f});
        assertEquals(ObjectiveWeights.sigmoid(2f * 0.8f - 1f), c.probability(0, 0.8f), 1e-7f);
        assertEquals(ObjectiveWeights.sigmoid(0.8f + 0.5f), c.probability(1, 0.8f), 1e-7f);
        assertEquals(ObjectiveWeights.sigmoid(0.4f), c.probability(2, 0.8f), 1e-7f);
        float[] logits = {0.8f, 0.8f, 0.8f, 0.8f};
        float expected = 1f * c.probability(0, 0.8f) + 0.5f * c.probability(1, 0.8f) + 0.25f * c.probability(2, 0.8f)
                - c.probability(3, 0.8f);
        assertEquals(expected, c.combine(ObjectiveWeights.DEFAULT, logits, 0), 1e-6f);
    }

    @Test
    void rejectsWrongSizesAndNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> new HeadCalibration(new float[3], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> new HeadCalibration(new float[] {1, 1, Float.NaN, 1}, new float[4]));
    }
}

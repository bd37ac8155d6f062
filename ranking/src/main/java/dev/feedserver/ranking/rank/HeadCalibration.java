package dev.feedserver.ranking.rank;

import java.util.Arrays;

/**
 * A per-head affine calibration of the ranker's logits: {@code p_h = sigmoid(a_h * logit_h + b_h)}.
 * The {@link #IDENTITY} ({@code a = 1, b = 0}) leaves the model's probabilities as trained;
 * {@link OnlineCalibrator} learns others from served impressions joined with later events.
 *
 * <p>Immutable and thread-safe: the arrays are copied in and never exposed. Reading one on the
 * request path allocates nothing.
 */
public final class HeadCalibration {
    /** {@code a = 1, b = 0} for every head: the model as trained. */
    public static final HeadCalibration IDENTITY = new HeadCalibration(filled(1f), filled(0f));

    private final float[] a;
    private final float[] b;

    /**
     * @param a per-head logit scale, {@link Objective#COUNT} finite values
     * @param b per-head logit shift, {@link Objective#COUNT} finite values
     */
    public HeadCalibration(float[] a, float[] b) {
        if (a == null || b == null || a.length != Objective.COUNT || b.length != Objective.COUNT) {
            throw new IllegalArgumentException("a head calibration needs " + Objective.COUNT + " scales and " + Objective.COUNT + " shifts");
        }
        for (int h = 0; h < Objective.COUNT; h++) {
            if (!Float.isFinite(a[h]) || !Float.isFinite(b[h])) {
                throw new IllegalArgumentException("head calibration values must be finite, got a=" + Arrays.toString(a) + " b=" + Arrays.toString(b));
            }
        }
        this.a = a.clone();
        this.b = b.clone();
    }

    private static float[] filled(float v) {
        float[] out = new float[Objective.COUNT];
        Arrays.fill(out, v);
        return out;
    }

    /** The scale of head {@code h}. */
    public float a(int h) {
        return a[h];
    }

    /** The shift of head {@code h}. */
    public float b(int h) {
        return b[h];
    }

    /** The calibrated probability of head {@code h} for its raw {@code logit}. */
    public float probability(int h, float logit) {
        return ObjectiveWeights.sigmoid(a[h] * logit + b[h]);
    }

    /**
     * The combined score of one row of raw head logits starting at {@code offset}:
     * {@code sum_h weight[h] * probability(h, logit[h])}; equals {@link ObjectiveWeights#combine}
     * for the identity.
     */
    public float combine(ObjectiveWeights weights, float[] logits, int offset) {
        float s = 0f;
        for (int h = 0; h < Objective.COUNT; h++) {
            s += weights.weight(h) * probability(h, logits[offset + h]);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadCalibration other && Arrays.equals(a, other.a) && Arrays.equals(b, other.b);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(a) + Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return "HeadCalibration[a=" + Arrays.toString(a) + ", b=" + Arrays.toString(b) + "]";
    }
}

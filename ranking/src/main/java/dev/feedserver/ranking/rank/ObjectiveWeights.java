package dev.feedserver.ranking.rank;

import java.util.Arrays;

/**
 * How the heads' probabilities combine into one ranking score:
 * {@code score = sum_h weight[h] * sigmoid(logit[h])}; the negative-feedback head normally has a
 * negative weight. Set per server ({@code --objective-weights}) and overridable per request
 * ({@code weights=} on the feed route) for experiments. Immutable.
 */
public record ObjectiveWeights(float[] weights) {
    /** Click 1, like 0.5, long dwell 0.25, negative -1. */
    public static final ObjectiveWeights DEFAULT = new ObjectiveWeights(new float[] {1f, 0.5f, 0.25f, -1f});

    public ObjectiveWeights {
        if (weights == null || weights.length != Objective.COUNT) {
            throw new IllegalArgumentException("objective weights need " + Objective.COUNT + " values");
        }
        weights = weights.clone();
        for (float w : weights) {
            if (!Float.isFinite(w) || Math.abs(w) > 100f) {
                throw new IllegalArgumentException("objective weights must be finite and within [-100, 100], got " + Arrays.toString(weights));
            }
        }
    }

    /** The weight of one objective. */
    public float weight(Objective objective) {
        return weights[objective.ordinal()];
    }

    /** The weight of head {@code h} (an {@link Objective} ordinal). */
    public float weight(int h) {
        return weights[h];
    }

    /** A copy with the objectives named in {@code spec} (e.g. {@code click:1,negative:-2}) replaced. */
    public ObjectiveWeights with(String spec) {
        float[] out = weights.clone();
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("objective weights: expected name:value pairs separated by commas, got '" + part.trim() + "'");
            }
            Objective objective = Objective.fromWire(kv[0].trim());
            if (objective == null) {
                throw new IllegalArgumentException("objective weights: unknown objective '" + kv[0].trim() + "' (known: click, like, long_dwell, negative)");
            }
            try {
                out[objective.ordinal()] = Float.parseFloat(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("objective weights: '" + kv[1].trim() + "' is not a number");
            }
        }
        return new ObjectiveWeights(out);
    }

    /** The combined score of one row of head logits starting at {@code offset}. */
    public float combine(float[] logits, int offset) {
        float s = 0f;
        for (int h = 0; h < weights.length; h++) {
            s += weights[h] * sigmoid(logits[offset + h]);
        }
        return s;
    }

    /** The logistic function. */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectiveWeights other && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Objective o : Objective.values()) {
            s.append(s.isEmpty() ? "" : ",").append(o.wireName()).append(':').append(weights[o.ordinal()]);
        }
        return s.toString();
    }
}

package dev.feedserver.generation.text;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: argmax when the temperature is 0, else a draw from
 * {@code softmax(logits / temperature)} restricted to the nucleus (the most likely tokens whose
 * probabilities first reach top-p), with a seeded generator so the same seed gives the same
 * tokens.
 *
 * <p>Threading: not thread-safe (it owns a random generator and scratch); one per generation.
 */
public final class Sampler {

    private final float temperature;
    private final float topP;
    private final SplittableRandom random;
    private double[] probabilities = new double[0];
    private Integer[] order = new Integer[0];

    /** A sampler with the generation's temperature, top-p and seed. */
    public Sampler(GenerationParams params) {
        this.temperature = params.temperature();
        this.topP = params.topP();
        this.random = new SplittableRandom(params.seed());
    }

    /** The next token for {@code logits[0 .. n)}. */
    public int sample(float[] logits, int n) {
        if (temperature == 0.0f) {
            return argmax(logits, n);
        }
        if (probabilities.length < n) {
            probabilities = new double[n];
            order = new Integer[n];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[i] / (double) temperature);
        }
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            probabilities[i] = Math.exp(logits[i] / (double) temperature - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < n; i++) {
            probabilities[i] /= sum;
        }
        int kept = nucleus(n);
        double mass = 0.0;
        for (int i = 0; i < kept; i++) {
            mass += probabilities[order[i]];
        }
        double draw = random.nextDouble() * mass;
        double cumulative = 0.0;
        for (int i = 0; i < kept; i++) {
            cumulative += probabilities[order[i]];
            if (draw < cumulative) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** Sorts token ids by probability, most likely first; returns how many make up the nucleus. */
    private int nucleus(int n) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (topP >= 1.0f) {
            return n; // the whole vocabulary, in index order
        }
        double[] p = probabilities;
        Arrays.sort(order, 0, n, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        double cumulative = 0.0;
        for (int i = 0; i < n; i++) {
            cumulative += p[order[i]];
            if (cumulative >= topP) {
                return i + 1;
            }
        }
        return n;
    }

    /** Index of the largest logit (the lowest index on ties). */
    public static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}

package dev.feedserver.ranking.rank;

import java.util.ArrayList;
import java.util.List;

/**
 * The guarded learner behind {@link OnlineCalibrator}: per head, SGD with log loss on the
 * candidate {@code (a, b)} of {@code sigmoid(a * logit + b)}, each step's change clipped to
 * {@code maxStep} and the parameters clamped to {@code a in [0.25, 4], b in [-4, 4]}. Every
 * {@code evaluateEvery} steps the candidate, the published (accepted) calibration and the identity
 * are scored on the holdout ring: the candidate is published when its mean log loss is at most
 * {@code min(accepted, identity) + margin}, otherwise it is rolled back to the accepted one. So
 * the published calibration is never worse on the holdout, at the time it is published, than
 * the identity by more than the margin.
 *
 * <p>Threading: not thread-safe; {@link OnlineCalibrator} calls it under its lock. Lifecycle:
 * one per served model version; a new version gets a new learner.
 */
final class CalibrationLearner {
    private static final int HEADS = Objective.COUNT;

    private final OnlineCalibrationConfig config;
    private final float[] candidateA = new float[HEADS];
    private final float[] candidateB = new float[HEADS];
    private final float[] acceptedA = new float[HEADS];
    private final float[] acceptedB = new float[HEADS];
    private final double[] identityLoss = new double[HEADS];
    private final double[] candidateLoss = new double[HEADS];
    private final double[] acceptedLoss = new double[HEADS];
    private final long[] rollbacks = new long[HEADS];
    private final long[] publishes = new long[HEADS];
    // The holdout ring: logits item-major, labels as Objective bit masks.
    private final float[] holdoutLogits;
    private final int[] holdoutLabels;
    private int holdoutCount;
    private int holdoutNext;
    private long steps;
    private long evaluations;
    private HeadCalibration published = HeadCalibration.IDENTITY;

    CalibrationLearner(OnlineCalibrationConfig config) {
        this.config = config;
        java.util.Arrays.fill(candidateA, 1f);
        java.util.Arrays.fill(acceptedA, 1f);
        java.util.Arrays.fill(identityLoss, Double.NaN);
        java.util.Arrays.fill(candidateLoss, Double.NaN);
        java.util.Arrays.fill(acceptedLoss, Double.NaN);
        holdoutLogits = new float[config.holdoutSize() * HEADS];
        holdoutLabels = new int[config.holdoutSize()];
    }

    /** The calibration published so far (the identity until a candidate passes the holdout). */
    HeadCalibration published() {
        return published;
    }

    /**
     * One SGD step per head on the example {@code logits[offset .. offset + 4)} with the label
     * bits {@code labels}; compares with the holdout every {@code evaluateEvery} steps. Returns
     * true when that comparison changed the published calibration.
     */
    boolean train(float[] logits, int offset, int labels) {
        float rate = config.learningRate();
        float clip = config.maxStep();
        for (int h = 0; h < HEADS; h++) {
            float z = logits[offset + h];
            float y = (labels >>> h & 1) == 0 ? 0f : 1f;
            float error = ObjectiveWeights.sigmoid(candidateA[h] * z + candidateB[h]) - y;
            float stepA = clamp(-rate * error * z, -clip, clip);
            float stepB = clamp(-rate * error, -clip, clip);
            candidateA[h] = clamp(candidateA[h] + stepA, OnlineCalibrationConfig.MIN_A, OnlineCalibrationConfig.MAX_A);
            candidateB[h] = clamp(candidateB[h] + stepB, -OnlineCalibrationConfig.MAX_B, OnlineCalibrationConfig.MAX_B);
        }
        steps++;
        return steps % config.evaluateEvery() == 0 && evaluate();
    }

    /** Keeps the example for validation (the oldest one leaves a full ring). */
    void holdout(float[] logits, int offset, int labels) {
        System.arraycopy(logits, offset, holdoutLogits, holdoutNext * HEADS, HEADS);
        holdoutLabels[holdoutNext] = labels;
        holdoutNext = (holdoutNext + 1) % holdoutLabels.length;
        holdoutCount = Math.min(holdoutCount + 1, holdoutLabels.length);
    }

    /**
     * Compares candidate, accepted and identity on the holdout, head by head; publishes or
     * rolls back each. Returns true when the published calibration changed. Does nothing
     * until the holdout holds {@link OnlineCalibrationConfig#MIN_HOLDOUT} examples.
     */
    boolean evaluate() {
        if (holdoutCount < OnlineCalibrationConfig.MIN_HOLDOUT) {
            return false;
        }
        evaluations++;
        boolean changed = false;
        for (int h = 0; h < HEADS; h++) {
            double identity = holdoutLoss(h, 1f, 0f);
            double accepted = holdoutLoss(h, acceptedA[h], acceptedB[h]);
            double candidate = holdoutLoss(h, candidateA[h], candidateB[h]);
            identityLoss[h] = identity;
            candidateLoss[h] = candidate;
            if (candidate <= Math.min(accepted, identity) + config.margin()) {
                changed |= acceptedA[h] != candidateA[h] || acceptedB[h] != candidateB[h];
                acceptedA[h] = candidateA[h];
                acceptedB[h] = candidateB[h];
                acceptedLoss[h] = candidate;
                publishes[h]++;
            } else {
                candidateA[h] = acceptedA[h];
                candidateB[h] = acceptedB[h];
                acceptedLoss[h] = accepted;
                rollbacks[h]++;
            }
        }
        if (changed) {
            published = new HeadCalibration(acceptedA, acceptedB);
        }
        return changed;
    }

    /** Mean log loss of head {@code h} over the holdout under {@code sigmoid(a * logit + b)}. */
    double holdoutLoss(int h, float a, float b) {
        double sum = 0;
        for (int i = 0; i < holdoutCount; i++) {
            double t = a * holdoutLogits[i * HEADS + h] + b;
            double y = (holdoutLabels[i] >>> h & 1) == 0 ? 0 : 1;
            // log(1 + e^t) - y t, computed without overflow.
            sum += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))) - y * t;
        }
        return holdoutCount == 0 ? Double.NaN : sum / holdoutCount;
    }

    int holdoutCount() {
        return holdoutCount;
    }

    long steps() {
        return steps;
    }

    long rollbacks() {
        long n = 0;
        for (long r : rollbacks) {
            n += r;
        }
        return n;
    }

    long publishes() {
        long n = 0;
        for (long p : publishes) {
            n += p;
        }
        return n;
    }

    /** Per-head state for {@link CalibrationState}. */
    List<CalibrationState.Head> heads() {
        List<CalibrationState.Head> out = new ArrayList<>(HEADS);
        for (Objective o : Objective.values()) {
            int h = o.ordinal();
            out.add(new CalibrationState.Head(o.wireName(), acceptedA[h], acceptedB[h], candidateA[h], candidateB[h],
                    identityLoss[h], candidateLoss[h], acceptedLoss[h], rollbacks[h], publishes[h]));
        }
        return out;
    }

    long evaluations() {
        return evaluations;
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

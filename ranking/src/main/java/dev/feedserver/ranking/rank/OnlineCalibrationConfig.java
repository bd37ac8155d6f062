package dev.feedserver.ranking.rank;

/**
 * Settings of {@link OnlineCalibrator}, validated once at construction. Immutable.
 *
 * @param enabled            false: the calibration stays the identity and nothing is recorded
 * @param learningRate       SGD step size on {@code (a, b)} per example, in (0, 1]
 * @param maxStep            largest change of {@code a} or {@code b} one example may make, in (0, 1]
 * @param holdoutEvery       every k-th labelled example goes to the holdout instead of training, in [2, 1000]
 * @param holdoutSize        examples the holdout ring keeps (newest), in [50, 1,000,000]
 * @param evaluateEvery      training steps between two holdout comparisons, in [1, 1,000,000]
 * @param margin             how much worse (mean log loss, nats) than the accepted and the identity
 *                           calibration a candidate may be and still be published, in [0, 1]
 * @param impressionsPerUser impressions kept per user for joining, in [1, 4096]
 * @param maxUsers           users whose impressions are kept (least recently served evicted), in [16, 10,000,000]
 */
public record OnlineCalibrationConfig(boolean enabled, float learningRate, float maxStep, int holdoutEvery, int holdoutSize,
                                      int evaluateEvery, double margin, int impressionsPerUser, int maxUsers) {
    /** Smallest and largest logit scale {@code a}. */
    public static final float MIN_A = 0.25f;
    public static final float MAX_A = 4f;
    /** Largest magnitude of the logit shift {@code b}. */
    public static final float MAX_B = 4f;
    /** Holdout examples needed before any candidate is compared (and so published). */
    public static final int MIN_HOLDOUT = 50;

    /** On; rate 0.01, step 0.02, every 5th example held out (2,000 kept), compared every 200 steps, margin 0.002, 40 impressions x 20,000 users. */
    public static final OnlineCalibrationConfig DEFAULT = new OnlineCalibrationConfig(true, 0.01f, 0.02f, 5, 2000, 200, 0.002, 40, 20_000);

    public OnlineCalibrationConfig {
        check(learningRate > 0f && learningRate <= 1f, "learning rate must be in (0, 1], got " + learningRate);
        check(maxStep > 0f && maxStep <= 1f, "max step must be in (0, 1], got " + maxStep);
        check(holdoutEvery >= 2 && holdoutEvery <= 1000, "holdout-every must be in [2, 1000], got " + holdoutEvery);
        check(holdoutSize >= MIN_HOLDOUT && holdoutSize <= 1_000_000, "holdout size must be in [50, 1000000], got " + holdoutSize);
        check(evaluateEvery >= 1 && evaluateEvery <= 1_000_000, "evaluate-every must be in [1, 1000000], got " + evaluateEvery);
        check(margin >= 0 && margin <= 1, "margin must be in [0, 1] nats, got " + margin);
        check(impressionsPerUser >= 1 && impressionsPerUser <= 4096, "impressions per user must be in [1, 4096], got " + impressionsPerUser);
        check(maxUsers >= 16 && maxUsers <= 10_000_000, "max users must be in [16, 10000000], got " + maxUsers);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("online calibration: " + message);
        }
    }

    /** A copy with another learning rate. */
    public OnlineCalibrationConfig withLearningRate(float rate) {
        return new OnlineCalibrationConfig(enabled, rate, maxStep, holdoutEvery, holdoutSize, evaluateEvery, margin, impressionsPerUser, maxUsers);
    }

    /** A copy switched on or off. */
    public OnlineCalibrationConfig withEnabled(boolean on) {
        return new OnlineCalibrationConfig(on, learningRate, maxStep, holdoutEvery, holdoutSize, evaluateEvery, margin, impressionsPerUser, maxUsers);
    }

    /** Approximate heap the impression store may reach: per user about {@code 20 * impressionsPerUser + 200} bytes. */
    public long impressionBytes() {
        return (long) maxUsers * (20L * impressionsPerUser + 200);
    }
}

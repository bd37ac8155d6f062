package dev.feedserver.ranking.rank;

import java.util.List;

/**
 * A snapshot of {@link OnlineCalibrator}: what it has seen and, per head, the published and the
 * candidate calibration with their holdout losses. Immutable.
 *
 * @param version     the model version the calibration belongs to (null: no model)
 * @param impressions impressions recorded since the model was swapped in
 * @param joined      labelled examples made by joining an event with its impression
 * @param expired     impressions that left the store unjoined and became negatives
 * @param holdout     examples currently in the holdout ring
 * @param steps       training steps taken
 * @param evaluations holdout comparisons made
 */
public record CalibrationState(String version, boolean enabled, long impressions, long joined, long expired, int holdout,
                               long steps, long evaluations, List<Head> heads) {

    /**
     * One head.
     *
     * @param a             published scale
     * @param b             published shift
     * @param candidateA    the scale being trained
     * @param candidateB    the shift being trained
     * @param identityLoss  holdout mean log loss of the identity at the last comparison (NaN before one)
     * @param candidateLoss the candidate's at the last comparison
     * @param acceptedLoss  the published calibration's, after the last comparison
     * @param rollbacks     comparisons that threw the candidate away
     * @param publishes     comparisons that published it
     */
    public record Head(String objective, float a, float b, float candidateA, float candidateB, double identityLoss,
                       double candidateLoss, double acceptedLoss, long rollbacks, long publishes) {
    }

    /** Rollbacks over all heads. */
    public long rollbacks() {
        return heads.stream().mapToLong(Head::rollbacks).sum();
    }

    /** Publishes over all heads. */
    public long publishes() {
        return heads.stream().mapToLong(Head::publishes).sum();
    }
}

package dev.feedserver.ranking.eval;

/**
 * Settings of the {@link EaseRecommender} baseline; validated at construction.
 *
 * @param lambda   L2 penalty added to the Gram matrix's diagonal, finite and {@code > 0}
 * @param minCount items with fewer distinct training users stay out of the model (they are
 *                 ranked after the modelled items, by popularity); {@code >= 1}, 1 models every
 *                 item seen in training
 */
public record EaseConfig(double lambda, int minCount) {
    /**
     * Steck (2019) reports 500 as the best penalty on MovieLens-20M; the Gram matrix's diagonal
     * holds item counts, so the penalty is on that scale, and 500 also did well on a validation
     * split carved from the MovieLens-small training part (docs/recommender.md).
     */
    public static final double DEFAULT_LAMBDA = 500;
    public static final int DEFAULT_MIN_COUNT = 1;
    public static final EaseConfig DEFAULT = new EaseConfig(DEFAULT_LAMBDA, DEFAULT_MIN_COUNT);

    public EaseConfig {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("EASE lambda must be finite and > 0, got " + lambda);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("EASE minCount must be >= 1, got " + minCount);
        }
    }
}

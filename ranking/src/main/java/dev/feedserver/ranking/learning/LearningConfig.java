package dev.feedserver.ranking.learning;

/**
 * Online-learning settings, validated at construction.
 *
 * @param driftRate fraction of the way a significant event moves the user vector toward the item
 *     (0.10 by default; 0 freezes the vectors)
 * @param significantDwellMillis shortest dwell that counts as a positive signal
 */
public record LearningConfig(float driftRate, long significantDwellMillis) {
    public static final LearningConfig DEFAULT = new LearningConfig(0.10f, 5_000L);

    public LearningConfig {
        if (!(driftRate >= 0 && driftRate <= 1)) {
            throw new IllegalArgumentException("driftRate must be in [0, 1], got " + driftRate);
        }
        if (significantDwellMillis < 0) {
            throw new IllegalArgumentException("significantDwellMillis must be >= 0, got " + significantDwellMillis);
        }
    }
}

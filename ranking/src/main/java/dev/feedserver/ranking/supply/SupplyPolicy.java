package dev.feedserver.ranking.supply;

import java.time.Duration;

/**
 * How supply is measured and how many generation requests the {@link SupplyPlanner} may file,
 * validated at construction.
 *
 * @param jobsPerHour most requests filed in any sliding hour, [0, 10000] (0 turns filing off)
 * @param minEngagement smallest smoothed engagement rate (positives per exposure) a cluster needs, [0, 1]
 * @param engagementQuantile a cluster also needs a rate strictly above the rates of at least this
 *     fraction of the clusters with any exposure, [0, 1): 0 admits all, 0.5 the better half, 0.75
 *     the top quarter
 * @param freshTarget fresh items a cluster should hold; at or above it a cluster is saturated, [1, 1000000]
 * @param maxPerRound most requests one {@link SupplyPlanner#plan} call files, [1, 1000]
 * @param freshWindow an item is fresh for this long after its creation time, [1 minute, 365 days]
 * @param engagementWindow decay window engagement is read over
 * @param priorExposures pseudo-exposures at the overall rate added to every cluster, [0, 1000000]
 */
public record SupplyPolicy(int jobsPerHour, double minEngagement, double engagementQuantile, int freshTarget,
                           int maxPerRound, Duration freshWindow, EngagementWindow engagementWindow,
                           double priorExposures) {
    /** Six requests an hour, two a round, the better half of clusters, 20 fresh items per cluster within a day, 8 h engagement, 20 prior exposures. */
    public static final SupplyPolicy DEFAULT = new SupplyPolicy(6, 0.0, 0.5, 20, 2, Duration.ofDays(1),
            EngagementWindow.EIGHT_HOURS, 20);

    public SupplyPolicy {
        check(jobsPerHour >= 0 && jobsPerHour <= 10_000, "jobsPerHour must be in [0, 10000], got " + jobsPerHour);
        check(minEngagement >= 0 && minEngagement <= 1, "minEngagement must be in [0, 1], got " + minEngagement);
        check(engagementQuantile >= 0 && engagementQuantile < 1, "engagementQuantile must be in [0, 1), got " + engagementQuantile);
        check(freshTarget >= 1 && freshTarget <= 1_000_000, "freshTarget must be in [1, 1000000], got " + freshTarget);
        check(maxPerRound >= 1 && maxPerRound <= 1_000, "maxPerRound must be in [1, 1000], got " + maxPerRound);
        check(freshWindow != null, "freshWindow is required");
        check(freshWindow.compareTo(Duration.ofMinutes(1)) >= 0 && freshWindow.compareTo(Duration.ofDays(365)) <= 0,
                "freshWindow must be in [1 minute, 365 days], got " + freshWindow);
        check(engagementWindow != null, "engagementWindow is required");
        check(priorExposures >= 0 && priorExposures <= 1_000_000, "priorExposures must be in [0, 1000000], got " + priorExposures);
    }

    /** This policy with another hourly budget. */
    public SupplyPolicy withJobsPerHour(int value) {
        return new SupplyPolicy(value, minEngagement, engagementQuantile, freshTarget, maxPerRound, freshWindow,
                engagementWindow, priorExposures);
    }

    /** This policy with another cap per round. */
    public SupplyPolicy withMaxPerRound(int value) {
        return new SupplyPolicy(jobsPerHour, minEngagement, engagementQuantile, freshTarget, value, freshWindow,
                engagementWindow, priorExposures);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

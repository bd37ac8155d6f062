package dev.feedserver.ranking.feed;

/**
 * Settings of the feed pipeline, validated at construction.
 *
 * @param interestCandidates candidates taken from interest retrieval
 * @param popularCandidates candidates taken from the popularity list
 * @param popularityWeight weight of the popularity prior added to the dot-product score
 * @param maxLimit largest {@code limit} a request may ask for
 * @param consumedPerUser consumed items remembered per user (the filter's bound)
 */
public record FeedConfig(int interestCandidates, int popularCandidates, float popularityWeight, int maxLimit, int consumedPerUser) {
    public static final FeedConfig DEFAULT = new FeedConfig(1_000, 400, 0.05f, 200, 2_000);

    public FeedConfig {
        check(interestCandidates >= 1 && interestCandidates <= 100_000, "interestCandidates must be in [1, 100000], got " + interestCandidates);
        check(popularCandidates >= 1 && popularCandidates <= 100_000, "popularCandidates must be in [1, 100000], got " + popularCandidates);
        check(popularityWeight >= 0 && popularityWeight <= 100, "popularityWeight must be in [0, 100], got " + popularityWeight);
        check(maxLimit >= 1 && maxLimit <= 10_000, "maxLimit must be in [1, 10000], got " + maxLimit);
        check(consumedPerUser >= 1 && consumedPerUser <= 1_000_000, "consumedPerUser must be in [1, 1000000], got " + consumedPerUser);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

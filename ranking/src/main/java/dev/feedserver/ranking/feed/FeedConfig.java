package dev.feedserver.ranking.feed;

/**
 * Settings of the feed pipeline, validated at construction.
 *
 * @param interestCandidates candidates taken from interest retrieval
 * @param clusterCandidates candidates sampled from the user's latent clusters
 * @param popularCandidates candidates taken from the popularity list
 * @param trendingCandidates candidates taken from the trending list (decayed interaction counts)
 * @param freshCandidates candidates taken from the newest items
 * @param clusters number of latent clusters (spherical k-means over item vectors)
 * @param clusterExploration share of the cluster quota drawn from clusters outside the user's top three
 * @param popularityWeight weight of the popularity prior added to the dot-product score
 * @param freshnessWeight weight of the freshness prior {@code exp(-age / tau)} added to the score
 * @param freshHalfLifeMillis age at which the freshness prior halves
 * @param trendingHalfLifeMillis age at which an interaction's trending weight halves
 * @param maxLimit largest {@code limit} a request may ask for
 * @param consumedPerUser consumed items remembered per user (the filter's bound)
 * @param sessionWeight weight of the short-term interest (the user's last positive items) blended
 *                      into the long-term vector for retrieval and scoring; 0 turns it off
 * @param index interest index choice and background rebuild policy
 * @param rerank de-duplication, diversity and spreading of the final page
 * @param coldStart how a new item's first vector is chosen from its content neighbours
 */
public record FeedConfig(int interestCandidates, int clusterCandidates, int popularCandidates, int trendingCandidates,
                         int freshCandidates, int clusters, float clusterExploration, float popularityWeight,
                         float freshnessWeight, long freshHalfLifeMillis, long trendingHalfLifeMillis, int maxLimit,
                         int consumedPerUser, float sessionWeight, IndexConfig index, RerankConfig rerank,
                         ColdStartConfig coldStart) {
    /** Quotas total 2,400: interest 1,300, clusters 500, popular 200, trending 200, fresh 200. */
    public static final FeedConfig DEFAULT = new FeedConfig(1_300, 500, 200, 200, 200, 32, 0.10f, 0.05f, 0.10f,
            6L * 3_600_000, 6L * 3_600_000, 200, 2_000, 1.0f, IndexConfig.DEFAULT, RerankConfig.DEFAULT,
            ColdStartConfig.DEFAULT);

    public FeedConfig {
        check(interestCandidates >= 1 && interestCandidates <= 100_000, "interestCandidates must be in [1, 100000], got " + interestCandidates);
        check(popularCandidates >= 1 && popularCandidates <= 100_000, "popularCandidates must be in [1, 100000], got " + popularCandidates);
        check(clusterCandidates >= 0 && clusterCandidates <= 100_000, "clusterCandidates must be in [0, 100000], got " + clusterCandidates);
        check(clusters >= 1 && clusters <= 4_096, "clusters must be in [1, 4096], got " + clusters);
        check(clusterExploration >= 0 && clusterExploration <= 1, "clusterExploration must be in [0, 1], got " + clusterExploration);
        check(trendingCandidates >= 0 && trendingCandidates <= 100_000, "trendingCandidates must be in [0, 100000], got " + trendingCandidates);
        check(freshCandidates >= 0 && freshCandidates <= 100_000, "freshCandidates must be in [0, 100000], got " + freshCandidates);
        check(popularityWeight >= 0 && popularityWeight <= 100, "popularityWeight must be in [0, 100], got " + popularityWeight);
        check(freshnessWeight >= 0 && freshnessWeight <= 100, "freshnessWeight must be in [0, 100], got " + freshnessWeight);
        check(freshHalfLifeMillis >= 1_000, "fresh half-life must be at least a second, got " + freshHalfLifeMillis + " ms");
        check(trendingHalfLifeMillis >= 1_000, "trending half-life must be at least a second, got " + trendingHalfLifeMillis + " ms");
        check(maxLimit >= 1 && maxLimit <= 10_000, "maxLimit must be in [1, 10000], got " + maxLimit);
        check(index != null, "index config is required");
        check(rerank != null, "rerank config is required");
        check(coldStart != null, "cold-start config is required");
        check(sessionWeight >= 0 && sessionWeight <= 100, "sessionWeight must be in [0, 100], got " + sessionWeight);
        check(consumedPerUser >= 1 && consumedPerUser <= 1_000_000, "consumedPerUser must be in [1, 1000000], got " + consumedPerUser);
    }

    /** This configuration with another short-term interest weight. */
    public FeedConfig withSessionWeight(float value) {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                clusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLifeMillis, trendingHalfLifeMillis,
                maxLimit, consumedPerUser, value, index, rerank, coldStart);
    }

    /** This configuration with another {@code limit} bound and consumed-filter size. */
    public FeedConfig withLimits(int newMaxLimit, int newConsumedPerUser) {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                clusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLifeMillis, trendingHalfLifeMillis,
                newMaxLimit, newConsumedPerUser, sessionWeight, index, rerank, coldStart);
    }

    /** This configuration with another cluster count and index policy. */
    public FeedConfig withClustersAndIndex(int newClusters, IndexConfig newIndex) {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                newClusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLifeMillis, trendingHalfLifeMillis,
                maxLimit, consumedPerUser, sessionWeight, newIndex, rerank, coldStart);
    }

    /** This configuration with another re-ranking policy. */
    public FeedConfig withRerank(RerankConfig newRerank) {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                clusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLifeMillis, trendingHalfLifeMillis,
                maxLimit, consumedPerUser, sessionWeight, index, newRerank, coldStart);
    }

    /** This configuration with another cold-start policy. */
    public FeedConfig withColdStart(ColdStartConfig newColdStart) {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                clusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLifeMillis, trendingHalfLifeMillis,
                maxLimit, consumedPerUser, sessionWeight, index, rerank, newColdStart);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

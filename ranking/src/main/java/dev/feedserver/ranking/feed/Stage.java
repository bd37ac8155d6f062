package dev.feedserver.ranking.feed;

/** Timed stages of one feed request, in order; names appear in {@code timing_us} and metrics. */
public enum Stage {
    USER("user"),
    RETRIEVE_INTEREST("retrieve_interest"),
    RETRIEVE_CLUSTER("retrieve_cluster"),
    RETRIEVE_POPULAR("retrieve_popular"),
    RETRIEVE_TRENDING("retrieve_trending"),
    RETRIEVE_FRESH("retrieve_fresh"),
    FEATURES("features"),
    RANK("rank"),
    SELECT("select");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

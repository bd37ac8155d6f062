package dev.feedserver.ranking.feed;

/**
 * The outcome of one feed request: the chosen item rows with scores and sources, best first,
 * how many candidates were ranked, and the time spent per {@link Stage}. Immutable by
 * convention (arrays are not shared with the pipeline).
 *
 * @param knownUser false when the user had no profile and got the cold-start feed
 */
public record FeedResult(String userId, boolean knownUser, int[] items, float[] scores, byte[] sources,
                         int candidates, long[] stageNanos) {
    public int size() {
        return items.length;
    }
}

package dev.feedserver.ranking.feed;

/**
 * The outcome of one feed request: the chosen item rows with scores and sources, best first,
 * how many candidates were ranked, the time spent per {@link Stage}, and which ranker ranked
 * them. Immutable by convention (arrays are not shared with the pipeline).
 *
 * @param knownUser     false when the user had no profile and got the cold-start feed
 * @param heads         per item, the ranker's probability per {@code Objective} ({@code items.length x 4},
 *                      item-major), or null when no model ranked the feed
 * @param rankerVersion the ranker model's version, or {@code linear} for the built-in formula
 */
public record FeedResult(String userId, boolean knownUser, int[] items, float[] scores, byte[] sources,
                         int candidates, long[] stageNanos, float[] heads, String rankerVersion) {
    public int size() {
        return items.length;
    }
}

package dev.feedserver.ranking.feed;

/**
 * How a new item's first latent vector is chosen from its content (see {@link ContentColdStart}),
 * validated at construction. Immutable.
 *
 * @param neighbours    k: the content-nearest items with learned vectors whose mean the item
 *                      starts from; 0 turns content cold start off (tag centroid only)
 * @param minSimilarity content cosine a neighbour must reach, in (0, 1] (it is also the
 *                      neighbour's weight, so it must be positive); with none reaching it the
 *                      item starts at its tags' centroid
 * @param contentWeight share of the content part when the item also has known tags:
 *                      {@code (1 - w) * tagCentroid + w * contentMean}
 * @param scanUpTo      largest catalogue scanned for neighbours (the brute-force int8 scan costs
 *                      about 0.2 ms per 10,000 items at 384 dimensions, docs/retrieval.md);
 *                      above it new items start at the tag centroid
 */
public record ColdStartConfig(int neighbours, float minSimilarity, float contentWeight, int scanUpTo) {
    /** k = 10, cosine at least 0.3, half content and half tags, up to 200,000 items. */
    public static final ColdStartConfig DEFAULT = new ColdStartConfig(10, 0.3f, 0.5f, 200_000);

    /** Content cold start off: every new item starts at its tags' centroid. */
    public static final ColdStartConfig OFF = new ColdStartConfig(0, 0.3f, 0.5f, 200_000);

    public ColdStartConfig {
        if (neighbours < 0 || neighbours > 1_000) {
            throw new IllegalArgumentException("cold-start neighbours must be in [0, 1000], got " + neighbours);
        }
        if (!(minSimilarity > 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("cold-start min similarity must be in (0, 1], got " + minSimilarity);
        }
        if (!(contentWeight >= 0 && contentWeight <= 1)) {
            throw new IllegalArgumentException("cold-start content weight must be in [0, 1], got " + contentWeight);
        }
        if (scanUpTo < 0) {
            throw new IllegalArgumentException("cold-start scanUpTo must be >= 0, got " + scanUpTo);
        }
    }

    /** True when new items may start from their content neighbours. */
    public boolean enabled() {
        return neighbours > 0;
    }
}

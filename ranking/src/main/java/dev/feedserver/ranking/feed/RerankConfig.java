package dev.feedserver.ranking.feed;

/**
 * What the re-ranking step does to the ranked candidates before the top {@code limit} are
 * returned (see {@link Reranker}). Validated at construction; immutable.
 *
 * @param maxClusterShare  most of a page one latent cluster may fill, in (0, 1]; 1 turns the cap off
 * @param duplicateCosine  content-embedding cosine at or above which an item counts as a near
 *                         duplicate of one already on the page, in (0, 1]; items with the same
 *                         normalised title are duplicates whatever this says
 * @param spreadClusters   reorder the page so neighbours come from different clusters where the
 *                         page allows it
 */
public record RerankConfig(float maxClusterShare, float duplicateCosine, boolean spreadClusters) {
    /** A cluster fills at most half a page, duplicates at cosine 0.97, neighbours spread. */
    public static final RerankConfig DEFAULT = new RerankConfig(0.5f, 0.97f, true);
    /** Only exact-title duplicates are removed; pure score order otherwise. */
    public static final RerankConfig SCORE_ORDER = new RerankConfig(1f, 1f, false);

    public RerankConfig {
        if (!(maxClusterShare > 0f && maxClusterShare <= 1f)) {
            throw new IllegalArgumentException("maxClusterShare must be in (0, 1], got " + maxClusterShare);
        }
        if (!(duplicateCosine > 0f && duplicateCosine <= 1f)) {
            throw new IllegalArgumentException("duplicateCosine must be in (0, 1], got " + duplicateCosine);
        }
    }

    /** The most items of one cluster on a page of {@code limit}. */
    int clusterCap(int limit) {
        return Math.max(1, (int) Math.ceil(maxClusterShare * limit));
    }
}

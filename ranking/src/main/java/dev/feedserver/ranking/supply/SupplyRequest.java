package dev.feedserver.ranking.supply;

import java.util.List;

/**
 * A request to generate content for one latent cluster, as the {@link SupplyPlanner} filed it:
 * enough to write a content brief and to explain why. Immutable.
 *
 * @param clusterId the under-supplied cluster
 * @param tags its dominant tags, most frequent first (the brief's topic)
 * @param engagementRate its smoothed positives per exposure
 * @param freshItems its fresh items when planned
 * @param score {@code engagementRate * (1 - freshItems / freshTarget)}: what it was ranked by
 * @param reason one line for logs and the job record
 */
public record SupplyRequest(int clusterId, List<String> tags, double engagementRate, int freshItems, double score,
                            String reason) {
    public SupplyRequest {
        tags = List.copyOf(tags);
    }
}

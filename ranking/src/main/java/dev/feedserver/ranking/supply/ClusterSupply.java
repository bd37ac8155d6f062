package dev.feedserver.ranking.supply;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.catalog.ItemStatistics;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.retrieval.ClusterIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes {@link ClusterSupplySnapshot}s of the live model: one pass over the catalogue that adds
 * every live, clustered item to its cluster's engagement ({@link ClusterEngagement}) and inventory
 * ({@link ClusterInventory}).
 *
 * <p>Cost: one lock-free counter read, one cluster lookup, one creation-time check and a few
 * tag-map increments per item (30 to 90 ms for 200,000 items on a busy 2-core machine); meant for
 * a planning thread once a round (minutes), never for a request thread.
 *
 * <p>Threading: safe to call from any thread while feeds are served and events applied. It takes
 * no model-wide lock (the model has none for readers): the catalogue and the item counters are
 * read lock-free, and the cluster index is read once and asked for each item's cluster under its
 * own monitor, held for one lookup at a time. Items put or removed during the pass may or may not
 * be counted; an item put but not yet clustered is counted at the next snapshot. Stateless.
 */
public final class ClusterSupply {
    private static final int DOMINANT_TAGS = 3;

    private ClusterSupply() {
    }

    /** Measures the model's clusters at {@code nowMillis} under {@code policy}'s fresh and engagement windows. */
    public static ClusterSupplySnapshot snapshot(FeedModel model, SupplyPolicy policy, long nowMillis) {
        return snapshot(model.catalog(), model.clusters(), model.statistics(), policy, nowMillis);
    }

    /** Measures {@code clusters} over {@code catalog}'s live items (the parts of a model). */
    public static ClusterSupplySnapshot snapshot(ItemCatalog catalog, ClusterIndex clusters, ItemStatistics statistics,
                                                 SupplyPolicy policy, long nowMillis) {
        int k = clusters.clusters();
        long freshSince = nowMillis - policy.freshWindow().toMillis();
        ClusterEngagement engagement = new ClusterEngagement(k, statistics, policy.engagementWindow(), nowMillis);
        ClusterInventory inventory = new ClusterInventory(k, freshSince);
        int items = catalog.size();
        for (int row = 0; row < items; row++) {
            if (catalog.isRemoved(row)) {
                continue;
            }
            int cluster = clusters.clusterOf(row);
            if (cluster < 0 || cluster >= k) {
                continue;
            }
            engagement.add(cluster, row);
            inventory.add(cluster, catalog.item(row));
        }
        List<ClusterSupplySnapshot.Cluster> entries = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            entries.add(new ClusterSupplySnapshot.Cluster(c, engagement.rate(c, policy.priorExposures()),
                    engagement.positives(c), engagement.exposures(c), inventory.fresh(c), inventory.total(c),
                    inventory.dominantTags(c, DOMINANT_TAGS)));
        }
        return new ClusterSupplySnapshot(nowMillis, freshSince, engagement.overallRate(), entries);
    }
}

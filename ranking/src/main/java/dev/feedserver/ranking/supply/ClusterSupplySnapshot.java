package dev.feedserver.ranking.supply;

import java.util.List;

/**
 * Engagement and inventory of every latent cluster at one moment, as {@link ClusterSupply} measured
 * them: what the {@link SupplyPlanner} decides from. Immutable.
 *
 * @param takenAtMillis when it was measured (counters decayed to this time)
 * @param freshSinceMillis items created at or after this time counted as fresh
 * @param overallRate positives per exposure over every cluster (0 before any event)
 * @param clusters one entry per cluster, entry {@code i} for cluster {@code i}
 */
public record ClusterSupplySnapshot(long takenAtMillis, long freshSinceMillis, double overallRate, List<Cluster> clusters) {
    public ClusterSupplySnapshot {
        clusters = List.copyOf(clusters);
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i).id() != i) {
                throw new IllegalArgumentException("cluster entry " + i + " has id " + clusters.get(i).id());
            }
        }
    }

    /**
     * One cluster's supply.
     *
     * @param id cluster number (stable across background rebuilds, which start from the previous centroids)
     * @param engagementRate smoothed positives per exposure ({@link ClusterEngagement#rate})
     * @param positives decayed positive events of its items
     * @param exposures decayed events of any kind of its items
     * @param freshItems live items created within the fresh window
     * @param totalItems live items
     * @param dominantTags its items' most frequent tags, up to three, most frequent first
     */
    public record Cluster(int id, double engagementRate, double positives, double exposures, int freshItems,
                          int totalItems, List<String> dominantTags) {
        public Cluster {
            dominantTags = List.copyOf(dominantTags);
        }
    }

    /** The entry of cluster {@code id}. */
    public Cluster cluster(int id) {
        return clusters.get(id);
    }
}

package dev.feedserver.ranking.supply;

import dev.feedserver.ranking.data.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inventory per latent cluster: how many live items it holds, how many of them are fresh
 * (created at or after a cut-off), and how often each tag occurs among them, from which the
 * cluster's dominant tags seed a content brief.
 *
 * <p>Threading: an accumulator confined to the thread building one snapshot. Lifecycle: heap
 * only, one per snapshot.
 */
public final class ClusterInventory {
    private final long freshSinceMillis;
    private final int[] fresh;
    private final int[] total;
    private final List<Map<String, int[]>> tagCounts;

    /** Starts an empty count over {@code clusters} clusters; items created at or after {@code freshSinceMillis} are fresh. */
    public ClusterInventory(int clusters, long freshSinceMillis) {
        if (clusters < 1) {
            throw new IllegalArgumentException("cluster count must be positive, got " + clusters);
        }
        this.freshSinceMillis = freshSinceMillis;
        this.fresh = new int[clusters];
        this.total = new int[clusters];
        this.tagCounts = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            tagCounts.add(new HashMap<>());
        }
    }

    /** Counts a live item of {@code cluster}. */
    public void add(int cluster, Item item) {
        total[cluster]++;
        if (item.createdAtMillis() >= freshSinceMillis) {
            fresh[cluster]++;
        }
        Map<String, int[]> counts = tagCounts.get(cluster);
        for (String tag : item.tags()) {
            counts.computeIfAbsent(tag, t -> new int[1])[0]++;
        }
    }

    public int clusters() {
        return total.length;
    }

    /** Live items of the cluster created at or after the cut-off. */
    public int fresh(int cluster) {
        return fresh[cluster];
    }

    /** Live items of the cluster. */
    public int total(int cluster) {
        return total[cluster];
    }

    /** Up to {@code n} of the cluster's most frequent tags, most frequent first (ties by name, so the order is stable). */
    public List<String> dominantTags(int cluster, int n) {
        List<Map.Entry<String, int[]>> entries = new ArrayList<>(tagCounts.get(cluster).entrySet());
        entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        List<String> top = new ArrayList<>(Math.min(n, entries.size()));
        for (int i = 0; i < n && i < entries.size(); i++) {
            top.add(entries.get(i).getKey());
        }
        return top;
    }
}

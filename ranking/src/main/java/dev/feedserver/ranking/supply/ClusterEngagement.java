package dev.feedserver.ranking.supply;

import dev.feedserver.ranking.catalog.ItemStatistics;

/**
 * Engagement per latent cluster: decayed positive events and exposures summed over the cluster's
 * items, and a smoothed rate of positives per exposure.
 *
 * <p><b>Measured, not counted again.</b> The event path already keeps decayed per-item counters
 * of positive, negative and view events ({@link ItemStatistics}, recorded by
 * {@code InteractionApplier} for every event and carried by checkpoints). This class sums them
 * per cluster when a supply snapshot is taken instead of keeping per-cluster counters of its own,
 * because that is both correct and cheap:
 * <ul>
 *   <li>nothing is added to the event path (no second hook, no extra atomics per event);</li>
 *   <li>a background rebuild that moves items between clusters needs no remapping: each item's
 *       history follows it to its current cluster at the next snapshot, and a changed cluster
 *       count is simply a different array size;</li>
 *   <li>engagement survives a restart, because the per-item counters are checkpointed;</li>
 *   <li>the snapshot walks every item anyway (fresh counts and tags), so the sum costs one
 *       lock-free counter read per item on the planning thread.</li>
 * </ul>
 *
 * <p><b>Definitions.</b> An exposure is any event a client reported for the item (a view, a
 * positive or a negative event: each says the item was seen); a positive is an event with a
 * positive weight ({@code EventType#weight}: click, like, share, a long enough dwell). Both are
 * decayed over the chosen {@link EngagementWindow}. The rate is shrunk toward the catalogue-wide
 * rate, {@code (positives + m * overall) / (exposures + m)} with {@code m} prior exposures, so a
 * cluster with a handful of events is not ranked on noise. Note: the training history seeds the
 * counters with positives only, so until live events (with their views) dominate the window, rates
 * from history read high everywhere.
 *
 * <p>Threading: an accumulator confined to the thread building one snapshot; the per-item reads
 * are seqlock reads that never block the event path or feeds. Lifecycle: heap only, one per
 * snapshot.
 */
public final class ClusterEngagement {
    private final ItemStatistics statistics;
    private final long nowMillis;
    private final int positiveSlot;
    private final int negativeSlot;
    private final int viewSlot;
    private final double[] positives;
    private final double[] exposures;
    private final float[] counters = new float[ItemStatistics.COUNTERS];
    private double totalPositives;
    private double totalExposures;

    /** Starts an empty sum over {@code clusters} clusters, reading counters decayed to {@code nowMillis}. */
    public ClusterEngagement(int clusters, ItemStatistics statistics, EngagementWindow window, long nowMillis) {
        if (clusters < 1) {
            throw new IllegalArgumentException("cluster count must be positive, got " + clusters);
        }
        this.statistics = statistics;
        this.nowMillis = nowMillis;
        this.positiveSlot = window.slot(ItemStatistics.Kind.POSITIVE);
        this.negativeSlot = window.slot(ItemStatistics.Kind.NEGATIVE);
        this.viewSlot = window.slot(ItemStatistics.Kind.VIEW);
        this.positives = new double[clusters];
        this.exposures = new double[clusters];
    }

    /** Adds item row {@code row}'s decayed counters to {@code cluster}. */
    public void add(int cluster, int row) {
        statistics.read(row, nowMillis, counters, 0);
        double p = counters[positiveSlot];
        double e = p + counters[negativeSlot] + counters[viewSlot];
        positives[cluster] += p;
        exposures[cluster] += e;
        totalPositives += p;
        totalExposures += e;
    }

    public int clusters() {
        return positives.length;
    }

    /** Decayed positive events of the cluster's items. */
    public double positives(int cluster) {
        return positives[cluster];
    }

    /** Decayed events of any kind of the cluster's items. */
    public double exposures(int cluster) {
        return exposures[cluster];
    }

    /** Positives per exposure over every cluster (0 before any event). */
    public double overallRate() {
        return totalExposures > 0 ? totalPositives / totalExposures : 0;
    }

    /** The cluster's rate shrunk toward {@link #overallRate()} by {@code priorExposures} pseudo-exposures. */
    public double rate(int cluster, double priorExposures) {
        double denominator = exposures[cluster] + priorExposures;
        return denominator > 0 ? (positives[cluster] + priorExposures * overallRate()) / denominator : overallRate();
    }
}

package dev.feedserver.ranking.retrieval;

import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Fresh content: the most recently created items, newest first, bounded to a capacity (the
 * oldest fall out), and a freshness prior {@code exp(-age / tau)} in [0, 1] that lets a new
 * or generated item reach feeds before it has any interaction.
 *
 * <p>Threading: thread-safe (a concurrent skip list); reads are weakly consistent.
 */
public final class FreshIndex {
    private record Entry(long createdMillis, int item) {
    }

    private static final Comparator<Entry> NEWEST_FIRST =
            Comparator.comparingLong(Entry::createdMillis).reversed().thenComparingInt(Entry::item);

    private final ConcurrentSkipListSet<Entry> newest = new ConcurrentSkipListSet<>(NEWEST_FIRST);
    private final int capacity;
    private final double tauMillis;

    public FreshIndex(int capacity, long halfLifeMillis) {
        if (capacity < 1 || halfLifeMillis <= 0) {
            throw new IllegalArgumentException("capacity and half-life must be positive, got " + capacity + ", " + halfLifeMillis);
        }
        this.capacity = capacity;
        this.tauMillis = halfLifeMillis / Math.log(2);
    }

    /** Records a newly created item. */
    public void add(int item, long createdMillis) {
        newest.add(new Entry(createdMillis, item));
        while (newest.size() > capacity) {
            newest.pollLast();
        }
    }

    /** Up to {@code n} newest items, newest first, skipping those {@code filter} excludes. */
    public int[] newest(int n, ItemFilter filter) {
        int[] out = new int[n];
        int count = 0;
        Iterator<Entry> it = newest.iterator();
        while (count < n && it.hasNext()) {
            int item = it.next().item();
            if (!filter.excludes(item)) {
                out[count++] = item;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /** Freshness prior in [0, 1]: 1 for an item created now, 0.5 after one half-life. */
    public float prior(long createdMillis, long nowMillis) {
        long age = Math.max(0, nowMillis - createdMillis);
        return (float) Math.exp(-age / tauMillis);
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.ranking.catalog.ItemCatalog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The most-interacted items, and a popularity prior in [0, 1] per item
 * ({@code log1p(count) / log1p(maxCount)}). The ranking is recomputed from the catalogue's live
 * counters at most once per refresh interval, by whichever request finds it stale; other
 * requests keep using the previous snapshot meanwhile.
 *
 * <p>Threading: thread-safe; snapshots are immutable and published through a volatile field.
 */
public final class PopularityIndex {
    private final ItemCatalog catalog;
    private final int size;
    private final long refreshNanos;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile Snapshot snapshot = new Snapshot(new int[0], 0, 0, 0L);

    public PopularityIndex(ItemCatalog catalog, int size, long refreshMillis) {
        this.catalog = catalog;
        this.size = size;
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    /** Current most popular items, best first (may be up to one refresh interval old). */
    public int[] top() {
        return current().top;
    }

    /** Popularity prior of {@code item} in [0, 1]. */
    public float prior(int item) {
        double logMax = current().logMax;
        return logMax <= 0 ? 0f : (float) (Math.log(1.0 + catalog.popularity(item)) / logMax);
    }

    /** Forces a recomputation now (after bulk loads). */
    public void refresh() {
        refreshing.lock();
        try {
            int items = catalog.size();
            TopK heap = new TopK(Math.max(1, Math.min(size, Math.max(1, items))));
            long max = 0;
            for (int i = 0; i < items; i++) {
                long count = catalog.popularity(i);
                max = Math.max(max, count);
                heap.offer(i, count);
            }
            int[] ids = new int[heap.size()];
            heap.drainDescending(ids, new float[ids.length]);
            snapshot = new Snapshot(ids, Math.log1p(max), items, System.nanoTime());
        } finally {
            refreshing.unlock();
        }
    }

    /**
     * {@code log1p(maxCount)} of the current snapshot: {@link #prior} is {@code log1p(count)}
     * over it, for callers that already hold {@code log1p(count)}.
     */
    public double logMax() {
        return current().logMax;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (System.nanoTime() - s.builtAtNanos > refreshNanos && refreshQueued.compareAndSet(false, true)) {
            // A refresh scans every item's counter (milliseconds at a million items): never on
            // the request thread. Requests keep the previous snapshot until it is published.
            CompletableFuture.runAsync(() -> {
                try {
                    refresh();
                } finally {
                    refreshQueued.set(false);
                }
            }).exceptionally(e -> {
                System.getLogger(PopularityIndex.class.getName())
                        .log(System.Logger.Level.WARNING, "popularity refresh failed; serving the previous ranking", e);
                return null;
            });
        }
        return s;
    }

    private record Snapshot(int[] top, double logMax, int items, long builtAtNanos) {
    }
}

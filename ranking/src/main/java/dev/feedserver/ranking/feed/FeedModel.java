package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.retrieval.ClusterIndex;
import dev.feedserver.ranking.retrieval.ExactInterestIndex;
import dev.feedserver.ranking.retrieval.FreshIndex;
import dev.feedserver.ranking.retrieval.InterestIndex;
import dev.feedserver.ranking.retrieval.IvfInterestIndex;
import dev.feedserver.ranking.retrieval.PopularityIndex;
import dev.feedserver.ranking.retrieval.TrendingIndex;
import dev.feedserver.ranking.users.ClusterAffinities;
import dev.feedserver.ranking.users.UserProfiles;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the feed reads and the learning path writes: the item catalogue, user profiles and
 * the indexes over the catalogue that feed candidate sources (interest index, latent clusters
 * with per-user affinities, popularity, trending, fresh).
 *
 * <p>Catalogue changes go through {@link #upsertItem} and {@link #removeItem}, which update every
 * index at once (a new item is retrievable by the next request). Once the catalogue has grown or
 * shrunk by {@link IndexConfig#rebuildGrowth()} since the last build, the interest index and the
 * clusters are rebuilt on a background thread from a snapshot, caught up with the changes made
 * meanwhile and swapped in atomically; requests never wait for a rebuild.
 *
 * <p>Threading: all parts are thread-safe; catalogue writes are serialised on the model.
 * Lifecycle: {@link #close()} stops the rebuild thread and frees the off-heap tables of catalogue
 * and profiles; call it once no request uses the model.
 */
public final class FeedModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FeedModel.class.getName());
    private static final long POPULARITY_REFRESH_MILLIS = 1_000;
    private static final int CLUSTER_ITERATIONS = 10;
    private static final long CLUSTER_SEED = 17;

    private final ItemCatalog catalog;
    private final UserProfiles users;
    private final IndexConfig indexConfig;
    private final PopularityIndex popularity;
    private final TrendingIndex trending;
    private final FreshIndex fresh;
    private final ClusterAffinities affinities;
    private final dev.feedserver.ranking.catalog.ItemStatistics statistics = new dev.feedserver.ranking.catalog.ItemStatistics();
    private volatile dev.feedserver.ranking.catalog.ItemContent content = new dev.feedserver.ranking.catalog.ItemContent(null);
    private final java.util.List<java.util.function.IntConsumer> itemListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Object writes = new Object();
    private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "index-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private volatile boolean backgroundRebuilds = true;
    private final AtomicLong rebuilds = new AtomicLong();
    private final int initialItems;
    // Rows created or replaced through upsertItem since construction (what a checkpoint must carry).
    private final dev.feedserver.embeddings.ConcurrentBitSet putRows = new dev.feedserver.embeddings.ConcurrentBitSet();
    private volatile ClusterIndex clusters;
    private volatile InterestIndex interest;
    private volatile long lastRebuildNanos;
    // Catalogue state at the last (re)build, guarded by `writes`.
    private int builtItems;
    private int builtRemoved;
    // Rows put while a rebuild works from its snapshot (null when none runs), guarded by `writes`.
    private org.agrona.collections.IntArrayList putDuringRebuild;
    private final Object rebuildLock = new Object();
    private final ContentColdStart coldStart;

    public FeedModel(ItemCatalog catalog, UserProfiles users, FeedConfig config) {
        if (catalog.dim() != users.dim()) {
            throw new IllegalArgumentException("item dim " + catalog.dim() + " != user dim " + users.dim());
        }
        this.catalog = catalog;
        this.users = users;
        this.indexConfig = config.index();
        this.coldStart = new ContentColdStart(catalog, config.coldStart());
        this.popularity = new PopularityIndex(catalog, Math.max(1, config.popularCandidates()), POPULARITY_REFRESH_MILLIS);
        this.trending = new TrendingIndex(config.trendingHalfLifeMillis(), Math.max(1, config.trendingCandidates()));
        this.fresh = new FreshIndex(Math.max(1, config.freshCandidates()) * 4, config.freshHalfLifeMillis());
        for (int row = 0; row < catalog.size(); row++) {
            fresh.add(row, catalog.item(row).createdAtMillis());
        }
        this.initialItems = catalog.size();
        synchronized (writes) {
            builtItems = catalog.size();
            builtRemoved = catalog.removedCount();
            this.clusters = ClusterIndex.build(catalog, builtItems, config.clusters(), CLUSTER_ITERATIONS, CLUSTER_SEED, null);
            this.interest = buildInterestIndex(builtItems);
        }
        this.affinities = new ClusterAffinities(clusters.clusters(), users.capacity());
        this.popularity.refresh();
        this.statistics.ensureItems(catalog.size());
    }

    /**
     * Gives the model its content embeddings (before it serves; {@link #upsertItem} embeds new
     * items with it from then on, and chooses their first vectors from their content neighbours
     * per {@link FeedConfig#coldStart()}). Replaces, and closes, the empty default.
     */
    public void useContent(dev.feedserver.ranking.catalog.ItemContent itemContent) {
        dev.feedserver.ranking.catalog.ItemContent old = this.content;
        this.content = java.util.Objects.requireNonNull(itemContent, "itemContent");
        if (old != itemContent) {
            old.close();
        }
    }

    /** Content embeddings of the items (width 0 when the model has no encoder). */
    public dev.feedserver.ranking.catalog.ItemContent content() {
        return content;
    }

    /** Per-item decayed event counters (the ranker's item statistics). */
    public dev.feedserver.ranking.catalog.ItemStatistics statistics() {
        return statistics;
    }

    /**
     * Calls {@code listener} with the row of every item created or replaced through
     * {@link #upsertItem}, after the change is visible (the ranker refreshes its per-item cache).
     */
    public void onItemChanged(java.util.function.IntConsumer listener) {
        itemListeners.add(listener);
    }

    /** Stops calling a listener registered with {@link #onItemChanged}. */
    public void removeItemListener(java.util.function.IntConsumer listener) {
        itemListeners.remove(listener);
    }

    /**
     * Creates or replaces an item (see {@link ItemCatalog#upsertColdStart}); a new (or revived)
     * item enters the interest index, its nearest cluster and the fresh index at once, so it can
     * reach feeds before its first interaction. Returns its row.
     *
     * <p>Order: the item's text is embedded first (one encoder call); a new or revived item's
     * first vector is then chosen from that embedding ({@link ContentColdStart}: its content
     * neighbours' learned vectors blended with its tags' centroid, or the centroid alone); only
     * then is the item published to the catalogue and the indexes, so it never appears with a
     * worse vector first. A replaced item keeps its vector.
     */
    public int upsertItem(Item item) {
        dev.feedserver.ranking.catalog.ItemContent itemContent = content;
        float[] embedding = itemContent.encode(item);
        float[] coldStartVector = catalog.wouldColdStart(item.id())
                ? coldStart.vectorFor(item, embedding, itemContent) : null;
        int row;
        synchronized (writes) {
            boolean live = catalog.rowOf(item.id()) >= 0;
            row = catalog.upsertColdStart(item, coldStartVector);
            putRows.set(row);
            if (!live) {
                fresh.add(row, item.createdAtMillis());
                clusters.assign(row);
                interest.add(row);
                if (putDuringRebuild != null) {
                    putDuringRebuild.addInt(row);
                }
            }
        }
        statistics.ensureItems(row + 1);
        if (embedding != null) {
            itemContent.store(row, embedding);
        }
        for (java.util.function.IntConsumer listener : itemListeners) {
            listener.accept(row);
        }
        maybeRebuild();
        return row;
    }

    /**
     * Removes an item from the catalogue and every source: it is never offered again (until put
     * again). Returns its row, or -1 when there is no such item.
     */
    public int removeItem(String id) {
        int row;
        synchronized (writes) {
            row = catalog.remove(id);
            if (row >= 0) {
                interest.remove(row);
            }
        }
        maybeRebuild();
        return row;
    }

    /**
     * Rebuilds the interest index and the clusters now, on the calling thread: a snapshot build
     * (seconds at a million items), then a catch-up of the items put or removed meanwhile and an
     * atomic swap. Normally triggered in the background; public for operations and tests.
     */
    public void rebuildIndexes() {
        synchronized (rebuildLock) {
            long start = System.nanoTime();
            int items;
            ClusterIndex previousClusters;
            synchronized (writes) {
                items = catalog.size();
                previousClusters = clusters;
                putDuringRebuild = new org.agrona.collections.IntArrayList();
            }
            ClusterIndex newClusters;
            InterestIndex newInterest;
            try {
                newClusters = ClusterIndex.build(catalog, items, previousClusters.clusters(), CLUSTER_ITERATIONS,
                        CLUSTER_SEED, previousClusters);
                newInterest = buildInterestIndex(items);
            } catch (RuntimeException e) {
                synchronized (writes) {
                    putDuringRebuild = null;
                }
                throw e;
            }
            synchronized (writes) {
                // Catch up: items new since the snapshot, rows revived meanwhile, then every removal.
                int now = catalog.size();
                for (int row = items; row < now; row++) {
                    if (!catalog.isRemoved(row)) {
                        newClusters.assign(row);
                        newInterest.add(row);
                    }
                }
                for (int i = 0; i < putDuringRebuild.size(); i++) {
                    int row = putDuringRebuild.getInt(i);
                    if (row < items && !catalog.isRemoved(row)) {
                        newClusters.assign(row);
                        newInterest.add(row);
                    }
                }
                putDuringRebuild = null;
                catalog.forEachRemoved(newInterest::remove);
                clusters = newClusters;
                interest = newInterest;
                builtItems = now;
                builtRemoved = catalog.removedCount();
            }
            lastRebuildNanos = System.nanoTime() - start;
            rebuilds.incrementAndGet();
            LOG.info(() -> String.format("rebuilt interest index (%s) and %d clusters over %,d items in %.1f s",
                    newInterest.name(), newClusters.clusters(), items, lastRebuildNanos / 1e9));
        }
    }

    private void maybeRebuild() {
        boolean due;
        synchronized (writes) {
            int base = Math.max(1, builtItems);
            due = catalog.size() - builtItems >= indexConfig.rebuildGrowth() * base
                    || catalog.removedCount() - builtRemoved >= indexConfig.rebuildGrowth() * base;
        }
        if (due && backgroundRebuilds && rebuildPending.compareAndSet(false, true)) {
            rebuilder.execute(() -> {
                try {
                    rebuildIndexes();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "index rebuild failed; the current indexes stay in use", e);
                } finally {
                    rebuildPending.set(false);
                }
            });
        }
    }

    private InterestIndex buildInterestIndex(int items) {
        IndexConfig.Mode mode = indexConfig.modeFor(items);
        if (mode == IndexConfig.Mode.EXACT) {
            return new ExactInterestIndex(catalog.vectors(), catalog::size);
        }
        // The int8 scan is the IVF index with a single partition, searched whole.
        IvfInterestIndex.Config config = mode == IndexConfig.Mode.IVF ? indexConfig.ivf()
                : indexConfig.ivf().withDirections(1).withNormBands(1).withScanFactor(Float.MAX_VALUE);
        IvfInterestIndex index = IvfInterestIndex.build(catalog.vectors(), items, config, CLUSTER_SEED);
        catalog.forEachRemoved(row -> {
            if (row < items) {
                index.remove(row);
            }
        });
        return mode == IndexConfig.Mode.IVF ? index : index.renamed("int8-scan");
    }

    /**
     * Replaces the latent clusters with {@code centroids} (a checkpoint's, so cluster numbers
     * mean what the users' affinities were learned against), assigning every item to them, and
     * rebuilds the interest index over the catalogue as it now is. Run before serving.
     */
    public void restoreIndexes(float[] centroids, int k) {
        synchronized (writes) {
            int items = catalog.size();
            clusters = ClusterIndex.withCentroids(catalog, items, centroids, k);
            interest = buildInterestIndex(items);
            builtItems = items;
            builtRemoved = catalog.removedCount();
        }
        popularity.refresh();
    }

    /** Turns background index rebuilds off (while a checkpoint is restored and the log replayed) or back on. */
    public void setBackgroundRebuilds(boolean enabled) {
        backgroundRebuilds = enabled;
        if (enabled) {
            maybeRebuild();
        }
    }

    /** Catalogue size when the model was built from its dataset. */
    public int initialItems() {
        return initialItems;
    }

    /** Calls {@code action} with every row created or replaced through {@link #upsertItem} since construction. */
    public void forEachPutRow(java.util.function.IntConsumer action) {
        putRows.forEach(action);
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    public UserProfiles users() {
        return users;
    }

    /** The current interest index (replaced by background rebuilds: read it once per request). */
    public InterestIndex interest() {
        return interest;
    }

    public PopularityIndex popularity() {
        return popularity;
    }

    public TrendingIndex trending() {
        return trending;
    }

    public FreshIndex fresh() {
        return fresh;
    }

    /** The current latent clusters (replaced by background rebuilds: read it once per request). */
    public ClusterIndex clusters() {
        return clusters;
    }

    public ClusterAffinities affinities() {
        return affinities;
    }

    /** Completed index rebuilds since start. */
    public long indexRebuilds() {
        return rebuilds.get();
    }

    /** Duration of the last rebuild in nanoseconds (0 before the first). */
    public long lastRebuildNanos() {
        return lastRebuildNanos;
    }

    public int dim() {
        return catalog.dim();
    }

    @Override
    public void close() {
        rebuilder.shutdownNow();
        try {
            rebuilder.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catalog.close();
        users.close();
        affinities.close();
        content.close();
    }
}

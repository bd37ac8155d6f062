package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.retrieval.ClusterIndex;
import dev.feedserver.ranking.retrieval.FreshIndex;
import dev.feedserver.ranking.retrieval.PopularityIndex;
import dev.feedserver.ranking.retrieval.TrendingIndex;
import dev.feedserver.ranking.users.ClusterAffinities;
import dev.feedserver.ranking.users.UserProfiles;

/**
 * Everything the feed reads and the learning path writes: the item catalogue, user profiles and
 * the indexes over the catalogue that feed candidate sources (latent clusters with per-user
 * affinities, popularity, trending, fresh).
 *
 * <p>Threading: all parts are thread-safe. Lifecycle: {@link #close()} frees the off-heap tables
 * of both catalogue and profiles; call it once no request uses the model.
 */
public final class FeedModel implements AutoCloseable {
    private static final long POPULARITY_REFRESH_MILLIS = 1_000;
    private static final int CLUSTER_ITERATIONS = 10;
    private static final long CLUSTER_SEED = 17;

    private final ItemCatalog catalog;
    private final UserProfiles users;
    private final PopularityIndex popularity;
    private final TrendingIndex trending;
    private final FreshIndex fresh;
    private final ClusterIndex clusters;
    private final ClusterAffinities affinities;

    public FeedModel(ItemCatalog catalog, UserProfiles users, FeedConfig config) {
        if (catalog.dim() != users.dim()) {
            throw new IllegalArgumentException("item dim " + catalog.dim() + " != user dim " + users.dim());
        }
        this.catalog = catalog;
        this.users = users;
        this.popularity = new PopularityIndex(catalog, Math.max(1, config.popularCandidates()), POPULARITY_REFRESH_MILLIS);
        this.trending = new TrendingIndex(config.trendingHalfLifeMillis(), Math.max(1, config.trendingCandidates()));
        this.fresh = new FreshIndex(Math.max(1, config.freshCandidates()) * 4, config.freshHalfLifeMillis());
        for (int row = 0; row < catalog.size(); row++) {
            fresh.add(row, catalog.item(row).createdAtMillis());
        }
        this.clusters = ClusterIndex.build(catalog, config.clusters(), CLUSTER_ITERATIONS, CLUSTER_SEED);
        this.affinities = new ClusterAffinities(clusters.clusters(), users.capacity());
        this.popularity.refresh();
    }

    /**
     * Creates or replaces an item (see {@link ItemCatalog#upsert}); a new item also enters the
     * fresh index, so it can reach feeds before its first interaction. Returns its row.
     */
    public int upsertItem(Item item) {
        boolean existed = catalog.rowOf(item.id()) >= 0;
        int row = catalog.upsert(item, null);
        if (!existed) {
            fresh.add(row, item.createdAtMillis());
            clusters.assign(row);
        }
        return row;
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    public UserProfiles users() {
        return users;
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

    public ClusterIndex clusters() {
        return clusters;
    }

    public ClusterAffinities affinities() {
        return affinities;
    }

    public int dim() {
        return catalog.dim();
    }

    @Override
    public void close() {
        catalog.close();
        users.close();
        affinities.close();
    }
}

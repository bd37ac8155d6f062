package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.retrieval.PopularityIndex;
import dev.feedserver.ranking.users.UserProfiles;

/**
 * Everything the feed reads and the learning path writes: the item catalogue, user profiles and
 * the popularity index over the catalogue.
 *
 * <p>Threading: all parts are thread-safe. Lifecycle: {@link #close()} frees the off-heap tables
 * of both catalogue and profiles; call it once no request uses the model.
 */
public final class FeedModel implements AutoCloseable {
    private final ItemCatalog catalog;
    private final UserProfiles users;
    private final PopularityIndex popularity;

    public FeedModel(ItemCatalog catalog, UserProfiles users, int popularSize, long popularityRefreshMillis) {
        if (catalog.dim() != users.dim()) {
            throw new IllegalArgumentException("item dim " + catalog.dim() + " != user dim " + users.dim());
        }
        this.catalog = catalog;
        this.users = users;
        this.popularity = new PopularityIndex(catalog, popularSize, popularityRefreshMillis);
        this.popularity.refresh();
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

    public int dim() {
        return catalog.dim();
    }

    @Override
    public void close() {
        catalog.close();
        users.close();
    }
}

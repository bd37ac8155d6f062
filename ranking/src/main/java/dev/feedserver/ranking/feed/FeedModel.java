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
    private final float itemToUserScale;

    /**
     * @param itemToUserScale factor that maps an item vector to the scale of user vectors
     *     (mean user norm / mean item norm after training); drift targets are scaled by it
     */
    public FeedModel(ItemCatalog catalog, UserProfiles users, int popularSize, long popularityRefreshMillis, float itemToUserScale) {
        if (catalog.dim() != users.vectors().dim()) {
            throw new IllegalArgumentException("item dim " + catalog.dim() + " != user dim " + users.vectors().dim());
        }
        this.catalog = catalog;
        this.users = users;
        if (!(itemToUserScale > 0) || Float.isInfinite(itemToUserScale)) {
            throw new IllegalArgumentException("itemToUserScale must be positive and finite, got " + itemToUserScale);
        }
        this.itemToUserScale = itemToUserScale;
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

    /**
     * Factor that brings an item vector to the scale of user vectors. ALS puts users and items
     * on different scales, so "10% toward the item" means toward {@code scale * item}, the point
     * in user space that the item represents; otherwise a new user's drifted vector would be an
     * order of magnitude shorter than a trained user's and barely move the ranking.
     */
    public float itemToUserScale() {
        return itemToUserScale;
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

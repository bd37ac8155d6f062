package dev.feedserver.ranking.eval;

/**
 * Settings of the {@link ItemKnnRecommender} baseline; validated at construction.
 *
 * @param neighbours most similar items kept per item, {@code >= 1}
 */
public record ItemKnnConfig(int neighbours) {
    public static final int DEFAULT_NEIGHBOURS = 100;
    public static final ItemKnnConfig DEFAULT = new ItemKnnConfig(DEFAULT_NEIGHBOURS);

    public ItemKnnConfig {
        if (neighbours < 1) {
            throw new IllegalArgumentException("item-kNN neighbours must be >= 1, got " + neighbours);
        }
    }
}

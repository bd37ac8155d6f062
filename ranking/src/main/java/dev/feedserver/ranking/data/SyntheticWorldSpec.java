package dev.feedserver.ranking.data;

/**
 * Sizes and seed of a {@link SyntheticWorld}; validated at construction.
 *
 * @param seed random seed; the same spec always yields the same world
 * @param users number of users
 * @param items number of items
 * @param topics number of latent topics
 * @param meanInteractions mean history length per user
 */
public record SyntheticWorldSpec(long seed, int users, int items, int topics, int meanInteractions) {
    public static final SyntheticWorldSpec DEFAULT = new SyntheticWorldSpec(42L, 2_000, 5_000, 16, 40);

    public SyntheticWorldSpec {
        require(users >= 1 && users <= 10_000_000, "users must be in [1, 10000000], got " + users);
        require(items >= 2 && items <= 10_000_000, "items must be in [2, 10000000], got " + items);
        require(topics >= 1 && topics <= Math.min(1000, items), "topics must be in [1, min(1000, items)], got " + topics);
        require(meanInteractions >= 1 && meanInteractions <= 10_000, "meanInteractions must be in [1, 10000], got " + meanInteractions);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.feedserver.ranking.train;

/**
 * Learned latent factors, row-major: user u's vector is {@code users[u*dim .. u*dim+dim)}.
 * Treat as read-only after training.
 */
public record Factors(int dim, float[] users, float[] items) {
    public int userCount() {
        return users.length / dim;
    }

    public int itemCount() {
        return items.length / dim;
    }
}

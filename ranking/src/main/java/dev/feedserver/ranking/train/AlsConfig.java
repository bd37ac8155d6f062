package dev.feedserver.ranking.train;

/**
 * Hyper-parameters of {@link ImplicitAls}, validated at construction.
 *
 * @param factors latent dimension
 * @param iterations alternating sweeps (users then items)
 * @param regularization L2 penalty lambda
 * @param alpha confidence slope: an observed pair has confidence {@code 1 + alpha * count}
 * @param seed initialisation seed
 */
public record AlsConfig(int factors, int iterations, float regularization, float alpha, long seed) {
    public static final AlsConfig DEFAULT = new AlsConfig(32, 12, 0.1f, 5f, 7L);

    public AlsConfig {
        if (factors < 1 || factors > 1024) {
            throw new IllegalArgumentException("factors must be in [1, 1024], got " + factors);
        }
        if (iterations < 1 || iterations > 1000) {
            throw new IllegalArgumentException("iterations must be in [1, 1000], got " + iterations);
        }
        if (!(regularization > 0) || regularization > 1e6f) {
            throw new IllegalArgumentException("regularization must be in (0, 1e6], got " + regularization);
        }
        if (!(alpha > 0) || alpha > 1e6f) {
            throw new IllegalArgumentException("alpha must be in (0, 1e6], got " + alpha);
        }
    }
}

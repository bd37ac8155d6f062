package dev.feedserver.ranking.rank;

/**
 * One named block of the ranker's input: its scope, width and meaning. Immutable.
 *
 * @param name        snake_case name, unique in a schema
 * @param scope       what it depends on
 * @param width       floats, {@code >= 1}
 * @param description one line for docs/features.md and {@code feedserver features}
 */
public record FeatureFamily(String name, FeatureScope scope, int width, String description) {
    public FeatureFamily {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("feature family name must be snake_case, got " + name);
        }
        if (width < 1) {
            throw new IllegalArgumentException("feature family " + name + ": width must be >= 1, got " + width);
        }
        if (scope == null) {
            throw new IllegalArgumentException("feature family " + name + ": scope is required");
        }
    }
}

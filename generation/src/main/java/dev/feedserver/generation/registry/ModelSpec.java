package dev.feedserver.generation.registry;

import java.util.regex.Pattern;

/**
 * What the registry knows about a model before it is loaded. Immutable; validated on
 * construction.
 *
 * @param name           unique key, also the {@code model} label in metrics: letters, digits,
 *                       {@code . _ -}, at most 64 characters
 * @param kind           what it produces
 * @param backend        what runs it (decides how its memory is measured)
 * @param source         where its weights are
 * @param maxConcurrency tasks that may run on one loaded instance at once, {@code >= 1}: 1 for
 *                       models that are not thread-safe (FreeTTS), more for those that are
 */
public record ModelSpec(String name, ModelKind kind, Backend backend, ModelSource source, int maxConcurrency) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ModelSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name must be 1-64 of [A-Za-z0-9._-], got '" + name + "'");
        }
        if (kind == null || backend == null || source == null) {
            throw new IllegalArgumentException("model '" + name + "' needs a kind, a backend and a source");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("model '" + name + "': maxConcurrency must be >= 1, got " + maxConcurrency);
        }
    }

    /** A spec whose instance runs one task at a time. */
    public static ModelSpec of(String name, ModelKind kind, Backend backend, ModelSource source) {
        return new ModelSpec(name, kind, backend, source, 1);
    }
}

package dev.feedserver.generation.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the process can load, by name. Registering reads only the source's size (for the
 * estimate); nothing is loaded until a scheduler needs it.
 *
 * <p>Threading: thread-safe. Lifecycle: holds no resources; models loaded from it are owned by
 * their loader's caller.
 */
public final class ModelRegistry {

    private final Map<String, RegisteredModel> models = new ConcurrentHashMap<>();

    /**
     * Adds a model.
     *
     * @throws IllegalArgumentException if the name is taken, or the estimate is not positive
     * @throws IllegalStateException    if the source cannot be read (a missing file or resource)
     */
    public RegisteredModel register(ModelSpec spec, ModelLoader loader) {
        if (spec == null || loader == null) {
            throw new IllegalArgumentException("spec and loader must not be null");
        }
        RegisteredModel model = new RegisteredModel(spec, loader);
        RegisteredModel previous = models.putIfAbsent(spec.name(), model);
        if (previous != null) {
            throw new IllegalArgumentException("a model named '" + spec.name() + "' is already registered: " + previous);
        }
        return model;
    }

    /**
     * The model named {@code name}.
     *
     * @throws IllegalArgumentException if there is none (the message lists the known names)
     */
    public RegisteredModel get(String name) {
        RegisteredModel model = models.get(name);
        if (model == null) {
            throw new IllegalArgumentException("no model named '" + name + "' is registered; known: " + names());
        }
        return model;
    }

    public Optional<RegisteredModel> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** Every registered model, sorted by name. */
    public List<RegisteredModel> models() {
        List<RegisteredModel> all = new ArrayList<>(models.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    /** The registered names, sorted. */
    public List<String> names() {
        return models().stream().map(RegisteredModel::name).toList();
    }
}

package dev.feedserver.generation.scheduler;

import java.util.List;

/** What a worker does next, as the {@link Planner} decided it. Immutable. */
sealed interface Decision {

    /** Start {@code job} on its resident model. */
    record Run(Job job) implements Decision {
    }

    /** Load {@code slot}'s model; it fits the budget as things stand. */
    record Load(ModelSlot slot) implements Decision {
    }

    /** Unload these idle models to make room for {@code forModel}. */
    record Evict(List<ModelSlot> victims, ModelSlot forModel) implements Decision {
    }
}

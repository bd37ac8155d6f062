package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.RegisteredModel;
import java.util.TreeSet;

/**
 * The scheduler's view of one model: whether it is in memory, what it is charged against the
 * budget, its running tasks, its queued tasks and its statistics. Guarded by the scheduler's
 * lock; never shared outside it.
 */
final class ModelSlot {

    enum State {
        /** Not in memory; charges nothing. */
        ABSENT,
        /** A worker is loading it; charged its planned footprint. */
        LOADING,
        /** In memory; charged max(estimate, measured). */
        RESIDENT,
        /** A worker is closing it; still charged until the close returns. */
        UNLOADING
    }

    final RegisteredModel model;
    /** Oldest first; the planner scans it whole for the best effective priority (which ages). */
    final TreeSet<Job> queue = new TreeSet<>(Job.BY_ARRIVAL);
    final ModelStats stats;
    State state = State.ABSENT;
    LoadedModel loaded;
    long charge;
    int active;
    long lastUsedNanos;
    /** Loads in a row that measured more than they reserved and had to be undone. */
    int remeasures;

    ModelSlot(RegisteredModel model) {
        this.model = model;
        this.stats = new ModelStats(model.name());
    }

    String name() {
        return model.name();
    }

    int maxConcurrency() {
        return model.spec().maxConcurrency();
    }

    boolean idle() {
        return state == State.RESIDENT && active == 0;
    }

    boolean canRun() {
        return state == State.RESIDENT && active < maxConcurrency();
    }

    /** The arrival number of this model's oldest queued task, or {@code Long.MAX_VALUE}: how soon the queue needs it. */
    long nextNeed() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.first().seq;
    }
}

package dev.feedserver.generation.scheduler;

/**
 * Settings of a {@link ModelScheduler}, validated on construction. Immutable.
 *
 * @param budgetBytes     the most model memory that may be resident or reserved at once
 *                        (models loading count with their reservation, models unloading until
 *                        they are freed). Default 24 GiB; {@code Long.MAX_VALUE} means no budget
 * @param workers         worker threads, so the most tasks, loads and unloads running at once.
 *                        Default 2, range [1, 256]
 * @param agingStarts     a queued task gains one priority level for every this many task
 *                        starts it waits, so newer work cannot postpone it forever (see
 *                        {@link Planner}). Smaller: fairer, more loads; larger: more grouping.
 *                        Default 64, at least 1
 * @param policy          how the next task is chosen (default {@link Policy#GROUPED})
 */
public record SchedulerConfig(long budgetBytes, int workers, int agingStarts, Policy policy) {

    public static final long DEFAULT_BUDGET_BYTES = 24L << 30;
    public static final int DEFAULT_WORKERS = 2;
    public static final int DEFAULT_AGING_STARTS = 64;

    /** How the scheduler picks work. */
    public enum Policy {
        /**
         * Ours: work on resident models first (grouped by model, highest effective priority then
         * oldest), then the lightest absent model with queued work; evict idle models whose next
         * need is furthest; priorities age so nothing starves. See {@link Planner}.
         */
        GROUPED,
        /**
         * The baseline: strictly oldest task first; its model is loaded on demand, evicting the
         * least recently used idle models.
         */
        FIFO
    }

    public SchedulerConfig {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budgetBytes must be > 0, got " + budgetBytes);
        }
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers must be in [1, 256], got " + workers);
        }
        if (agingStarts < 1) {
            throw new IllegalArgumentException("agingStarts must be >= 1, got " + agingStarts);
        }
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null");
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(DEFAULT_BUDGET_BYTES, DEFAULT_WORKERS, DEFAULT_AGING_STARTS, Policy.GROUPED);
    }

    public SchedulerConfig withBudgetBytes(long value) {
        return new SchedulerConfig(value, workers, agingStarts, policy);
    }

    public SchedulerConfig withWorkers(int value) {
        return new SchedulerConfig(budgetBytes, value, agingStarts, policy);
    }

    public SchedulerConfig withAgingStarts(int value) {
        return new SchedulerConfig(budgetBytes, workers, value, policy);
    }

    public SchedulerConfig withPolicy(Policy value) {
        return new SchedulerConfig(budgetBytes, workers, agingStarts, value);
    }
}

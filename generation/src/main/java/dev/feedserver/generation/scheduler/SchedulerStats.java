package dev.feedserver.generation.scheduler;

import java.util.List;

/**
 * A scheduler's statistics at one moment, for {@code /metrics} and benchmarks. Immutable.
 *
 * @param budgetBytes       the configured budget
 * @param residentBytes     bytes charged now: resident models, loads in progress (their
 *                          reservation) and unloads not yet finished
 * @param peakResidentBytes the most ever charged at once; never above the budget
 * @param queued            tasks waiting
 * @param running           tasks running
 * @param models            per registered model, sorted by name
 */
public record SchedulerStats(long budgetBytes, long residentBytes, long peakResidentBytes, int queued, int running,
                             List<ModelStatsSnapshot> models) {

    /** Loads summed over every model. */
    public long totalLoads() {
        return models.stream().mapToLong(ModelStatsSnapshot::loads).sum();
    }

    /** Unloads summed over every model. */
    public long totalUnloads() {
        return models.stream().mapToLong(ModelStatsSnapshot::unloads).sum();
    }
}

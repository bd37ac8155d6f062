package dev.feedserver.generation.scheduler;

/**
 * One model's statistics at one moment. Immutable.
 *
 * @param model             the model's name
 * @param state             absent, loading, resident or unloading
 * @param loads             successful loads
 * @param unloads           unloads (evictions and the final close)
 * @param loadFailures      loads that threw or did not fit once measured
 * @param loadNanos         time spent loading, summed
 * @param tasksCompleted    tasks that returned normally
 * @param tasksFailed       tasks that threw, or failed because the model could not load
 * @param tasksCancelled    tasks cancelled while queued or running
 * @param busyNanos         time tasks ran on the model, summed over tasks (concurrent tasks
 *                          each count)
 * @param queueWaitNanos    time tasks waited between submission and start, summed
 * @param queued            tasks waiting now
 * @param running           tasks running now
 * @param residentBytes     bytes charged against the budget now (0 when absent)
 * @param peakResidentBytes the most this model was ever charged
 * @param estimateBytes     the footprint estimate before the first load
 * @param measuredBytes     the footprint measured at the latest load, {@code -1} before the first
 */
public record ModelStatsSnapshot(String model, String state, long loads, long unloads, long loadFailures, long loadNanos,
                                 long tasksCompleted, long tasksFailed, long tasksCancelled, long busyNanos,
                                 long queueWaitNanos, int queued, int running, long residentBytes, long peakResidentBytes,
                                 long estimateBytes, long measuredBytes) {
}

package dev.feedserver.generation.scheduler;

/**
 * Counters of one model under a scheduler. Mutable, guarded by the scheduler's lock;
 * {@link #snapshot} copies them out.
 */
final class ModelStats {

    final String model;
    long loads;
    long unloads;
    long loadFailures;
    long loadNanos;
    long tasksCompleted;
    long tasksFailed;
    long tasksCancelled;
    long busyNanos;
    long queueWaitNanos;
    long peakResidentBytes;

    ModelStats(String model) {
        this.model = model;
    }

    ModelStatsSnapshot snapshot(ModelSlot slot) {
        long resident = slot.state == ModelSlot.State.ABSENT ? 0 : slot.charge;
        return new ModelStatsSnapshot(model, slot.state.name().toLowerCase(java.util.Locale.ROOT), loads, unloads, loadFailures,
                loadNanos, tasksCompleted, tasksFailed, tasksCancelled, busyNanos, queueWaitNanos, slot.queue.size(), slot.active,
                resident, peakResidentBytes, slot.model.estimateBytes(), slot.model.measuredBytes());
    }
}

package dev.feedserver.generation.scheduler;

import java.util.Comparator;

/**
 * A submitted task while the scheduler holds it. Mutable fields are guarded by the
 * scheduler's lock, except {@link #cancelled} (read by the running task).
 */
final class Job implements TaskContext {

    /** Oldest first: the arrival queue and each model's queue. */
    static final Comparator<Job> BY_ARRIVAL = Comparator.comparingLong(j -> j.seq);

    final long seq;
    final int priority;
    final ModelSlot slot;
    final StageTask<?> task;
    final TaskHandle<?> handle;
    final long submittedNanos;
    /** The scheduler's count of started tasks when this one was queued (for priority aging). */
    final long startsAtSubmit;

    volatile boolean cancelled;
    boolean running;
    Thread thread;

    Job(long seq, int priority, ModelSlot slot, StageTask<?> task, TaskHandle<?> handle, long submittedNanos, long startsAtSubmit) {
        this.seq = seq;
        this.priority = priority;
        this.slot = slot;
        this.task = task;
        this.handle = handle;
        this.submittedNanos = submittedNanos;
        this.startsAtSubmit = startsAtSubmit;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }
}

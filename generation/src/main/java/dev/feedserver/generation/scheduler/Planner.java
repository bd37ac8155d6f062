package dev.feedserver.generation.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;

/**
 * The scheduling policy: given the queue and the models' states, what a free worker does next.
 * Pure decisions; the {@link ModelScheduler} carries them out. Called under the scheduler's
 * lock only.
 *
 * <p>{@link SchedulerConfig.Policy#GROUPED}, in order:
 * <ol>
 *   <li><b>No starvation.</b> Once {@code starvationLimit} tasks have started since the oldest
 *       queued task was submitted, that task is served next: its model is run, or loaded (idle
 *       models evicted for it), and nothing else starts until it does.</li>
 *   <li><b>Group by model.</b> The best queued task (highest priority, then oldest) whose model
 *       is resident with a free slot runs, unless an absent model has queued work of higher
 *       priority. Work keeps flowing to what is already loaded, so one load serves a whole
 *       group.</li>
 *   <li><b>Light first.</b> Otherwise absent models with queued work are ranked by their best
 *       task's priority, then footprint (lightest first), then their oldest task; the first one
 *       that fits the free budget is loaded, so several models end up resident and run at
 *       once when they fit.</li>
 *   <li><b>Evict for the first.</b> If none fits, idle resident models are unloaded for the
 *       first-ranked one: those with no queued work first (least recently used first), then those
 *       whose oldest queued task is newest (the furthest next need). Busy models are never
 *       evicted: if idle ones cannot make room, the worker waits for a task to finish.</li>
 * </ol>
 * {@link SchedulerConfig.Policy#FIFO} treats every task as starving: strictly oldest first,
 * loaded on demand, least recently used idle models evicted.
 */
final class Planner {

    private final SchedulerConfig config;
    private final Collection<ModelSlot> slots;
    private final NavigableSet<Job> arrival;

    Planner(SchedulerConfig config, Collection<ModelSlot> slots, NavigableSet<Job> arrival) {
        this.config = config;
        this.slots = slots;
        this.arrival = arrival;
    }

    /** The next step given {@code reserved} bytes charged and {@code started} tasks so far, or null: wait. */
    Decision next(long reserved, long started) {
        if (arrival.isEmpty()) {
            return null;
        }
        Job oldest = arrival.first();
        boolean fifo = config.policy() == SchedulerConfig.Policy.FIFO;
        if (fifo || started - oldest.startsAtSubmit >= config.starvationLimit()) {
            return serve(oldest, reserved, fifo);
        }
        int bestAbsentPriority = Integer.MIN_VALUE;
        List<ModelSlot> absent = new ArrayList<>();
        for (ModelSlot slot : slots) {
            if (slot.state == ModelSlot.State.ABSENT && !slot.queue.isEmpty()) {
                absent.add(slot);
                bestAbsentPriority = Math.max(bestAbsentPriority, slot.queue.first().priority);
            }
        }
        Job run = null;
        for (ModelSlot slot : slots) {
            if (slot.canRun() && !slot.queue.isEmpty()) {
                Job head = slot.queue.first();
                if (head.priority >= bestAbsentPriority && (run == null || Job.BY_PRIORITY.compare(head, run) < 0)) {
                    run = head;
                }
            }
        }
        if (run != null) {
            return new Decision.Run(run);
        }
        if (absent.isEmpty()) {
            return null;
        }
        absent.sort(Comparator.comparingInt((ModelSlot s) -> -s.queue.first().priority)
                .thenComparingLong(s -> s.model.footprintBytes())
                .thenComparingLong(ModelSlot::nextNeed));
        for (ModelSlot slot : absent) {
            if (fits(slot, reserved)) {
                return new Decision.Load(slot);
            }
        }
        return evictFor(absent.getFirst(), reserved, false);
    }

    private Decision serve(Job job, long reserved, boolean lru) {
        ModelSlot slot = job.slot;
        return switch (slot.state) {
            case RESIDENT -> slot.canRun() ? new Decision.Run(job) : null;
            case ABSENT -> fits(slot, reserved) ? new Decision.Load(slot) : evictFor(slot, reserved, lru);
            case LOADING, UNLOADING -> null;
        };
    }

    private boolean fits(ModelSlot slot, long reserved) {
        return slot.model.footprintBytes() <= config.budgetBytes() - reserved;
    }

    /** Idle models whose unloading makes room for {@code target}, or null if they cannot. */
    private Decision evictFor(ModelSlot target, long reserved, boolean lru) {
        List<ModelSlot> victims = victims(target, target.model.footprintBytes() - (config.budgetBytes() - reserved), lru);
        return victims == null ? null : new Decision.Evict(victims, target);
    }

    /**
     * Idle resident models other than {@code keep}, in eviction order, enough to free
     * {@code needed} bytes; null if all of them together are not enough.
     */
    List<ModelSlot> victims(ModelSlot keep, long needed, boolean lru) {
        List<ModelSlot> idle = new ArrayList<>();
        for (ModelSlot slot : slots) {
            if (slot != keep && slot.idle()) {
                idle.add(slot);
            }
        }
        Comparator<ModelSlot> byLastUse = Comparator.comparingLong(s -> s.lastUsedNanos);
        if (lru) {
            idle.sort(byLastUse);
        } else {
            // no queued work first (least recently used first), then the furthest next need
            idle.sort(Comparator.comparing((ModelSlot s) -> !s.queue.isEmpty())
                    .thenComparing(Comparator.comparingLong(ModelSlot::nextNeed).reversed())
                    .thenComparing(byLastUse));
        }
        List<ModelSlot> chosen = new ArrayList<>();
        long freed = 0;
        for (ModelSlot slot : idle) {
            if (freed >= needed) {
                break;
            }
            chosen.add(slot);
            freed += slot.charge;
        }
        return freed >= needed ? chosen : null;
    }
}

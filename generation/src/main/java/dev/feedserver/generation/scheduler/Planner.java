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
 * <p>{@link SchedulerConfig.Policy#GROUPED} ranks tasks by <em>effective priority</em>: the
 * priority they were submitted with, plus one level for every {@code agingStarts} tasks that
 * started while they waited. Then, in order:
 * <ol>
 *   <li><b>Group by model.</b> The best queued task (highest effective priority, then oldest)
 *       whose model is resident with a free slot runs, unless an absent model has a queued task
 *       of higher effective priority. Work keeps flowing to what is already loaded, so one load
 *       serves a whole group.</li>
 *   <li><b>Light first.</b> Otherwise absent models with queued work are ranked by their best
 *       task's effective priority, then footprint (lightest first), then their oldest task; the
 *       first of the top tier that fits the free budget is loaded, so several models end up
 *       resident and run at once when they fit.</li>
 *   <li><b>Evict for the first.</b> If none fits, idle resident models are unloaded for the
 *       first-ranked one: those with no queued work first (least recently used first), then
 *       those whose oldest queued task is newest (the furthest next need). Busy models are never
 *       evicted: if idle ones cannot make room, the worker waits for a task to finish.</li>
 * </ol>
 * <b>No starvation:</b> tasks that arrive together age together, so a burst is grouped freely;
 * but a task passed over by newer work gains a level every {@code agingStarts} starts, so after
 * at most {@code (p + 1) * agingStarts} starts (p the priority gap) it outranks every newer
 * task, no new work starts on the models in its way, they drain, become idle, and are evicted
 * for it.
 *
 * <p>{@link SchedulerConfig.Policy#FIFO} is the baseline: strictly oldest task first, its model
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
        if (config.policy() == SchedulerConfig.Policy.FIFO) {
            return serveOldest(arrival.first(), reserved);
        }
        long bestAbsent = Long.MIN_VALUE;
        List<Candidate> absent = new ArrayList<>();
        Job run = null;
        long runPriority = Long.MIN_VALUE;
        for (ModelSlot slot : slots) {
            if (slot.queue.isEmpty()) {
                continue;
            }
            Job best = null;
            long bestPriority = Long.MIN_VALUE;
            for (Job job : slot.queue) {
                long priority = effectivePriority(job, started);
                if (priority > bestPriority || (priority == bestPriority && job.seq < best.seq)) {
                    best = job;
                    bestPriority = priority;
                }
            }
            if (slot.state == ModelSlot.State.ABSENT) {
                absent.add(new Candidate(slot, bestPriority));
                bestAbsent = Math.max(bestAbsent, bestPriority);
            } else if (slot.canRun() && (bestPriority > runPriority || (bestPriority == runPriority && best.seq < run.seq))) {
                run = best;
                runPriority = bestPriority;
            }
        }
        if (run != null && runPriority >= bestAbsent) {
            return new Decision.Run(run);
        }
        if (absent.isEmpty()) {
            return null;
        }
        absent.sort(Comparator.comparingLong((Candidate c) -> -c.priority)
                .thenComparingLong(c -> c.slot.model.footprintBytes())
                .thenComparingLong(c -> c.slot.nextNeed()));
        long top = absent.getFirst().priority;
        for (Candidate candidate : absent) {
            if (candidate.priority == top && fits(candidate.slot, reserved)) {
                return new Decision.Load(candidate.slot);
            }
        }
        return evictFor(absent.getFirst().slot, reserved, false);
    }

    /** The submitted priority plus one level per {@code agingStarts} task starts since the task was queued. */
    long effectivePriority(Job job, long started) {
        return job.priority + (started - job.startsAtSubmit) / config.agingStarts();
    }

    private record Candidate(ModelSlot slot, long priority) {
    }

    private Decision serveOldest(Job job, long reserved) {
        ModelSlot slot = job.slot;
        return switch (slot.state) {
            case RESIDENT -> slot.canRun() ? new Decision.Run(job) : null;
            case ABSENT -> fits(slot, reserved) ? new Decision.Load(slot) : evictFor(slot, reserved, true);
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

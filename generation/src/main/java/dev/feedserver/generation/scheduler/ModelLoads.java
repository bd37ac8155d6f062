package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.LoadResult;
import dev.feedserver.generation.registry.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and unloads models for the {@link ModelScheduler}: runs the loader outside the lock,
 * reconciles the reservation with the measured figure (unloading idle models when it grew,
 * retrying with the measured figure or failing the model's tasks when it cannot fit), and
 * closes evicted models before their charge is freed.
 *
 * <p>Threading: called on scheduler workers for slots they claimed under the scheduler's lock
 * (LOADING or UNLOADING), which no other worker touches; takes that lock for the bookkeeping.
 */
final class ModelLoads {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoads.class);
    /** Loads in a row that may measure more than they reserved before the model's tasks fail. */
    static final int MAX_REMEASURES = 3;

    private final SchedulerConfig config;
    private final ReentrantLock lock;
    private final Condition changed;
    private final Ledger ledger;
    private final Planner planner;
    private final NavigableSet<Job> arrival;

    ModelLoads(SchedulerConfig config, ReentrantLock lock, Condition changed, Ledger ledger, Planner planner, NavigableSet<Job> arrival) {
        this.config = config;
        this.lock = lock;
        this.changed = changed;
        this.ledger = ledger;
        this.planner = planner;
        this.arrival = arrival;
    }

    /** Loads {@code slot}'s model, claimed LOADING with its footprint reserved, and reconciles the charge. */
    void load(ModelSlot slot) {
        LoadResult result;
        try {
            result = slot.model.load();
        } catch (Throwable t) {
            failLoad(slot, "model '" + slot.name() + "' failed to load from " + slot.model.spec().source().describe() + ": " + t, t);
            return;
        }
        // Reconcile the reservation with the measured figure; unload idle models if it grew past the budget.
        List<ModelSlot> victims = List.of();
        lock.lock();
        try {
            slot.stats.loadNanos += result.loadNanos();
            long shortfall = result.measuredBytes() - slot.charge - ledger.free();
            if (shortfall > 0) {
                List<ModelSlot> idle = planner.victims(slot, shortfall, false);
                if (idle != null) {
                    idle.forEach(v -> v.state = ModelSlot.State.UNLOADING);
                    victims = idle;
                }
            }
        } finally {
            lock.unlock();
        }
        victims.forEach(this::unload);
        boolean fits;
        lock.lock();
        try {
            long extra = Math.max(0, result.measuredBytes() - slot.charge);
            fits = extra <= ledger.free();
            if (fits) {
                ledger.charge(slot, extra);
                slot.remeasures = 0;
                slot.loaded = result.model();
                slot.state = ModelSlot.State.RESIDENT;
                slot.lastUsedNanos = System.nanoTime();
                slot.stats.loads++;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (fits) {
            LOG.debug("loaded {}: {} bytes ({}) in {} ms", slot.name(), result.measuredBytes(),
                    result.reported() ? "reported" : "measured", result.loadNanos() / 1_000_000);
            return;
        }
        // Still LOADING and charged its reservation: nobody else touches it while it closes.
        closeQuietly(slot, result.model());
        if (result.measuredBytes() <= config.budgetBytes() && slot.remeasures < MAX_REMEASURES) {
            // It fits the budget on its own: put it back; the next load plans with the measured figure.
            lock.lock();
            try {
                ledger.release(slot);
                slot.remeasures++;
                slot.stats.loads++;
                slot.stats.unloads++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            LOG.info("model '{}' measured {} bytes once loaded, more than its reservation and the free budget; "
                    + "unloaded it to load again with that figure", slot.name(), result.measuredBytes());
            return;
        }
        failLoad(slot, "model '" + slot.name() + "' measured " + result.measuredBytes() + " bytes once loaded (estimate "
                + slot.model.estimateBytes() + "), more than the budget of " + config.budgetBytes()
                + (result.measuredBytes() <= config.budgetBytes() ? " leaves beside the models in use, " + MAX_REMEASURES
                + " loads in a row" : ""), null);
    }

    /** Frees the reservation and fails the model's queued tasks (completed outside the lock). */
    private void failLoad(ModelSlot slot, String message, Throwable cause) {
        List<Job> failed;
        lock.lock();
        try {
            ledger.release(slot);
            slot.stats.loadFailures++;
            failed = new ArrayList<>(slot.queue);
            slot.queue.clear();
            failed.forEach(arrival::remove);
            slot.stats.tasksFailed += failed.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.warn("{}; failing its {} queued tasks", message, failed.size());
        for (Job job : failed) {
            job.handle.completeExceptionally(new ModelLoadException(slot.name(), message, cause));
        }
    }

    /** Closes a model claimed UNLOADING, then frees its charge. */
    void unload(ModelSlot slot) {
        closeQuietly(slot, slot.loaded);
        lock.lock();
        try {
            ledger.release(slot);
            slot.stats.unloads++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static void closeQuietly(ModelSlot slot, LoadedModel model) {
        try {
            model.close();
        } catch (RuntimeException e) {
            LOG.error("closing model '{}' failed; its memory may not be freed", slot.name(), e);
        }
    }
}

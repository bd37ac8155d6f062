package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.RegisteredModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stage tasks on registered models within a memory budget: loads models when their work
 * comes up, keeps several resident and runs them at once when they fit, and unloads idle ones
 * to make room. What runs next is the {@link Planner}'s policy.
 *
 * <p>The budget is never exceeded in the scheduler's accounting: a model is charged its
 * footprint ({@link RegisteredModel#footprintBytes()}, the estimate until measured) from the
 * moment its load starts, and stays charged until its close returns. When a load measures more
 * than was reserved, the difference is charged only if it fits, after unloading idle models if
 * need be; otherwise the new model is closed again and, if it fits the budget on its own, its
 * tasks wait for a new load planned with the measured figure (at most {@link ModelLoads#MAX_REMEASURES}
 * times in a row); if not, they fail with a {@link ModelLoadException}. (Real memory can
 * overshoot by the estimate's error during such a load.)
 *
 * <p>Threading: every method is thread-safe. Decisions and bookkeeping happen under one lock;
 * loads, unloads and tasks run outside it on {@code workers} worker threads
 * ({@code model-scheduler-N}, daemon). Lifecycle: tasks may be submitted before {@link #start};
 * they wait. {@link #close} fails the queued tasks, cancels the running ones (cooperatively),
 * waits for the workers, unloads every model; it is idempotent, and {@link #submit} after it
 * throws {@link RejectedExecutionException}.
 */
public final class ModelScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelScheduler.class);

    private final ModelRegistry registry;
    private final SchedulerConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ModelSlot> slots = new HashMap<>();
    private final TreeSet<Job> arrival = new TreeSet<>(Job.BY_ARRIVAL);
    private final Planner planner;
    private final List<Thread> workers = new ArrayList<>();
    private final Set<Job> runningJobs = new HashSet<>();
    private final Ledger ledger;
    private final ModelLoads loads;
    private long started;
    private long nextSeq;
    private boolean closed;

    public ModelScheduler(ModelRegistry registry, SchedulerConfig config) {
        if (registry == null || config == null) {
            throw new IllegalArgumentException("registry and config must not be null");
        }
        this.registry = registry;
        this.config = config;
        this.planner = new Planner(config, slots.values(), arrival);
        this.ledger = new Ledger(config.budgetBytes());
        this.loads = new ModelLoads(config, lock, changed, ledger, planner, arrival);
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Starts the worker threads. Idempotent. */
    public void start() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the scheduler is closed");
            }
            if (!workers.isEmpty()) {
                return;
            }
            for (int i = 0; i < config.workers(); i++) {
                Thread worker = new Thread(this::work, "model-scheduler-" + i);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code task} on {@code model}; higher {@code priority} runs earlier.
     *
     * @return the task's handle; it is already failed with a {@link ModelLoadException} when the
     *         model's footprint is larger than the whole budget
     * @throws IllegalArgumentException   if no such model is registered
     * @throws RejectedExecutionException if the scheduler is closed
     */
    public <R> TaskHandle<R> submit(String model, int priority, StageTask<R> task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        RegisteredModel registered = registry.get(model);
        TaskHandle<R> handle = new TaskHandle<>(this, model);
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the model scheduler is closed; task on '" + model + "' refused");
            }
            ModelSlot slot = slots.computeIfAbsent(model, n -> new ModelSlot(registered));
            if (registered.footprintBytes() > config.budgetBytes()) {
                slot.stats.tasksFailed++;
                handle.completeExceptionally(new ModelLoadException(model, "model '" + model + "' needs "
                        + registered.footprintBytes() + " bytes, more than the whole budget of " + config.budgetBytes(), null));
                return handle;
            }
            Job job = new Job(nextSeq++, priority, slot, task, handle, System.nanoTime(), started);
            handle.attach(job);
            slot.queue.add(job);
            arrival.add(job);
            changed.signal();
        } finally {
            lock.unlock();
        }
        return handle;
    }

    /** Called by {@link TaskHandle#cancel} after the handle completed as cancelled. */
    void cancel(Job job, boolean interrupt) {
        lock.lock();
        try {
            job.cancelled = true;
            if (arrival.remove(job)) {
                job.slot.queue.remove(job);
                job.slot.stats.tasksCancelled++;
                changed.signalAll();
            } else if (job.running && interrupt) {
                job.thread.interrupt(); // under the lock, while the job still runs on that thread
            }
        } finally {
            lock.unlock();
        }
    }

    /** Statistics now, for every registered model. */
    public SchedulerStats stats() {
        lock.lock();
        try {
            for (RegisteredModel model : registry.models()) {
                slots.computeIfAbsent(model.name(), n -> new ModelSlot(model));
            }
            List<ModelStatsSnapshot> models = new ArrayList<>();
            for (ModelSlot slot : slots.values()) {
                models.add(slot.stats.snapshot(slot));
            }
            models.sort((a, b) -> a.model().compareTo(b.model()));
            return new SchedulerStats(config.budgetBytes(), ledger.charged(), ledger.peak(), arrival.size(), runningJobs.size(), List.copyOf(models));
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Decision decision = null;
            lock.lock();
            try {
                while (!closed && (decision = planner.next(ledger.charged(), started)) == null) {
                    changed.awaitUninterruptibly();
                }
                if (closed || decision == null) {
                    return;
                }
                claim(decision);
            } finally {
                lock.unlock();
            }
            try {
                switch (decision) {
                    case Decision.Run run -> run(run.job());
                    case Decision.Load load -> loads.load(load.slot());
                    case Decision.Evict evict -> evict.victims().forEach(loads::unload);
                }
            } catch (RuntimeException | Error e) {
                // a bug in the scheduler itself: keep the worker alive, say what happened
                LOG.error("model scheduler worker failed on {}", decision, e);
            }
        }
    }

    /** Takes what {@code decision} needs before the lock is released, so no other worker takes it too. */
    private void claim(Decision decision) {
        switch (decision) {
            case Decision.Run run -> {
                Job job = run.job();
                arrival.remove(job);
                job.slot.queue.remove(job);
                job.running = true;
                job.thread = Thread.currentThread();
                job.slot.active++;
                job.slot.stats.queueWaitNanos += System.nanoTime() - job.submittedNanos;
                started++;
                runningJobs.add(job);
            }
            case Decision.Load load -> {
                ModelSlot slot = load.slot();
                slot.state = ModelSlot.State.LOADING;
                ledger.charge(slot, slot.model.footprintBytes());
            }
            case Decision.Evict evict -> evict.victims().forEach(v -> v.state = ModelSlot.State.UNLOADING);
        }
    }

    private void run(Job job) {
        ModelSlot slot = job.slot;
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            if (job.cancelled) {
                throw new CancellationException("cancelled before it started");
            }
            result = job.task.run(slot.loaded, job);
        } catch (Throwable t) {
            failure = t;
        }
        lock.lock();
        try {
            slot.active--;
            runningJobs.remove(job);
            job.running = false;
            job.thread = null;
            long now = System.nanoTime();
            slot.lastUsedNanos = now;
            slot.stats.busyNanos += now - start;
            if (job.cancelled) {
                slot.stats.tasksCancelled++;
            } else if (failure != null) {
                slot.stats.tasksFailed++;
            } else {
                slot.stats.tasksCompleted++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread.interrupted(); // a cancel's interrupt must not reach the next task on this thread
        complete(job, result, failure);
    }

    @SuppressWarnings("unchecked")
    private static void complete(Job job, Object result, Throwable failure) {
        TaskHandle<Object> handle = (TaskHandle<Object>) job.handle;
        if (failure != null) {
            handle.completeExceptionally(failure);
        } else {
            handle.complete(result);
        }
    }

    /**
     * Fails queued tasks, cancels running ones, waits up to {@code timeout} for the workers to
     * finish, then unloads every resident model. Idempotent.
     */
    public void close(long timeout, TimeUnit unit) {
        List<Job> queued;
        List<Thread> threads;
        List<Job> stillRunning;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queued = new ArrayList<>(arrival);
            arrival.clear();
            queued.forEach(job -> job.slot.stats.tasksFailed++);
            for (ModelSlot slot : slots.values()) {
                slot.queue.clear();
            }
            threads = List.copyOf(workers);
            stillRunning = List.copyOf(runningJobs);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Job job : queued) {
            job.handle.completeExceptionally(new RejectedExecutionException("the model scheduler closed before the task on '"
                    + job.slot.name() + "' started"));
        }
        for (Job job : stillRunning) {
            job.handle.cancel(true);
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread worker : threads) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (worker.isAlive()) {
                LOG.warn("{} still busy after the close timeout; its model stays loaded", worker.getName());
            }
        }
        lock.lock();
        try {
            for (ModelSlot slot : slots.values()) {
                if (slot.state == ModelSlot.State.RESIDENT && slot.active == 0) {
                    ModelLoads.closeQuietly(slot, slot.loaded);
                    ledger.release(slot);
                    slot.stats.unloads++;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link #close(long, TimeUnit)} with 30 seconds for running tasks. */
    @Override
    public void close() {
        close(30, TimeUnit.SECONDS);
    }
}

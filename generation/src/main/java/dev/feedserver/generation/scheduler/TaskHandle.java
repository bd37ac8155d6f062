package dev.feedserver.generation.scheduler;

import java.util.concurrent.CompletableFuture;

/**
 * The future of a submitted task. {@link #cancel} goes through the scheduler: a queued task
 * leaves the queue and never runs; a running one is flagged ({@link TaskContext#cancelled()})
 * and its thread interrupted, and its model slot is freed as soon as the task returns. Either
 * way the handle completes as cancelled at once. Stages derived from it ({@code thenApply} and
 * the like) are plain futures: cancelling those does not reach the scheduler.
 *
 * <p>Threading: thread-safe, as {@link CompletableFuture}.
 *
 * @param <R> the result type
 */
public final class TaskHandle<R> extends CompletableFuture<R> {

    private final ModelScheduler scheduler;
    private final String model;
    private volatile Job job;

    TaskHandle(ModelScheduler scheduler, String model) {
        this.scheduler = scheduler;
        this.model = model;
    }

    void attach(Job job) {
        this.job = job;
    }

    /** The model the task runs on. */
    public String model() {
        return model;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Job j = job;
        if (cancelled && j != null) {
            scheduler.cancel(j, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}

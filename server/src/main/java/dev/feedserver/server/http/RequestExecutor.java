package dev.feedserver.server.http;

/**
 * Where routed request work runs. {@link WorkerPool} is the production implementation; tests may
 * run work inline. Implementations must be thread-safe and must never block the caller (the
 * event loop): when they cannot take the task they return false.
 */
public interface RequestExecutor {
    boolean trySubmit(Runnable task);

    /**
     * How long a task may wait before it runs; a task that waited longer is answered 503 instead
     * of being run, so that under overload accepted requests keep a bounded latency. Unbounded
     * unless the implementation says otherwise.
     */
    default long maxQueueWaitNanos() {
        return Long.MAX_VALUE;
    }
}

package dev.feedserver.server.http;

/**
 * Where routed request work runs. {@link WorkerPool} is the production implementation; tests may
 * run work inline. Implementations must be thread-safe and must never block the caller (the
 * event loop): when they cannot take the task they return false.
 */
public interface RequestExecutor {
    boolean trySubmit(Runnable task);
}

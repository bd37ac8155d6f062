package dev.feedserver.server.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded pool that runs request work off the event loop. When every thread is busy and the
 * queue is full, {@link #trySubmit} returns false at once so the caller answers 503 instead of
 * queueing without bound. A queue long enough to absorb bursts is too long under sustained
 * overload (hundreds of requests x the service time), so tasks also carry a queue-wait bound
 * ({@link #maxQueueWaitNanos}) their caller enforces when they start.
 *
 * <p>Threading: submit from any thread. Lifecycle: {@link #drain} stops intake, lets queued and
 * running work finish up to a deadline, then interrupts what is left; idempotent.
 */
public final class WorkerPool implements RequestExecutor {
    private final ThreadPoolExecutor executor;
    private final long maxQueueWaitNanos;

    public WorkerPool(int threads, int queueCapacity) {
        this(threads, queueCapacity, Long.MAX_VALUE);
    }

    /** A pool whose tasks that waited more than {@code maxQueueWaitNanos} are answered 503 by their caller. */
    public WorkerPool(int threads, int queueCapacity, long maxQueueWaitNanos) {
        if (maxQueueWaitNanos <= 0) {
            throw new IllegalArgumentException("max queue wait must be positive, got " + maxQueueWaitNanos + " ns");
        }
        this.maxQueueWaitNanos = maxQueueWaitNanos;
        AtomicInteger counter = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                r -> {
                    Thread t = new Thread(r, "feed-worker-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        executor.prestartAllCoreThreads();
    }

    /** Runs {@code task} on a worker; false when the pool is saturated or shut down. */
    @Override
    public boolean trySubmit(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public long maxQueueWaitNanos() {
        return maxQueueWaitNanos;
    }

    public int queued() {
        return executor.getQueue().size();
    }

    public int active() {
        return executor.getActiveCount();
    }

    /** Stops accepting work and waits up to {@code timeoutMillis} for in-flight work. */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        executor.shutdown();
        boolean done = executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!done) {
            executor.shutdownNow();
        }
        return done;
    }
}

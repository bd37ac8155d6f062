package dev.feedserver.ranking.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Runs batches of independent tasks on a fixed pool of worker threads (one per core) and
 * reports progress from the calling thread only: each task returns its cost in work units, and
 * after each task completes, in submission order, the caller's {@code progress} gets the units
 * done so far. A dedicated pool rather than the common fork-join pool, whose parallelism is one
 * less than the core count and whose external joins do not reliably help.
 *
 * <p>Lifecycle: one instance per fit; {@link #close()} stops the workers (idempotent). Not
 * thread-safe: one calling thread.
 */
final class ParallelWork implements AutoCloseable {
    private final ExecutorService pool;
    private final LongConsumer progress;
    private long done;

    ParallelWork(LongConsumer progress) {
        int threads = Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "baseline-fit");
            thread.setDaemon(true);
            return thread;
        });
        this.progress = progress;
    }

    /** Runs every task, waits for all, and rethrows the first failure (in submission order). */
    void run(List<? extends Callable<Long>> tasks) {
        List<Future<Long>> futures = new ArrayList<>(tasks.size());
        for (Callable<Long> task : tasks) {
            futures.add(pool.submit(task));
        }
        RuntimeException failure = null;
        for (Future<Long> future : futures) {
            try {
                done += future.get();
                progress.accept(done);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("fit task failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while fitting", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Work units reported so far. */
    long done() {
        return done;
    }

    /** Adds units done on the calling thread itself. */
    void advance(long units) {
        done += units;
        progress.accept(done);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

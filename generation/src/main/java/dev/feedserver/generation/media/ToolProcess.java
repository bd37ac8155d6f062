package dev.feedserver.generation.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one external command to completion: stdout discarded, stderr drained on a daemon thread
 * (so a chatty tool never blocks on a full pipe) keeping its last {@value #TAIL_LINES} lines for
 * the error message, the exit polled every {@value #POLL_MILLIS} ms against a deadline and a
 * cancellation flag. A cancelled, interrupted or overdue process is destroyed (politely, then
 * forcibly after a grace period) together with its descendants. Stateless; one call per
 * process; thread-safe.
 */
final class ToolProcess {

    static final int TAIL_LINES = 20;
    static final long POLL_MILLIS = 50;
    private static final long GRACE_MILLIS = 2_000;

    private ToolProcess() {
    }

    /**
     * Runs {@code command} and returns when it exits with status 0.
     *
     * @throws MediaToolException    on a non-zero exit (with the stderr tail), at the timeout,
     *                               or if the process cannot be started
     * @throws CancellationException if {@code cancelled} turned true or the calling thread was
     *                               interrupted (its interrupt flag is restored)
     */
    static void run(String tool, List<String> command, Duration timeout, BooleanSupplier cancelled) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new MediaToolException(tool, "cannot start " + tool + " (" + command.getFirst() + "): " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread drainer = Thread.ofPlatform().daemon().name(tool + "-stderr").start(() -> drain(process, tail));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException(tool + " was cancelled and its process destroyed");
                }
                if (System.nanoTime() - deadline > 0) {
                    destroy(process); // first, so the tail below is complete
                    throw new MediaToolException(tool, tool + " ran past its timeout of " + timeout.toMillis() + " ms and was destroyed"
                            + tailText(drainer, tail), null);
                }
            }
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new CancellationException(tool + " was interrupted and its process destroyed");
        } finally {
            // whatever ends the wait early (cancellation, the timeout, a failing flag) leaves no process behind
            if (process.isAlive()) {
                destroy(process);
            }
        }
        int status = process.exitValue();
        if (status != 0) {
            throw new MediaToolException(tool, tool + " exited with status " + status + tailText(drainer, tail), null);
        }
    }

    private static void drain(Process process, Deque<String> tail) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            // the pipe closes when the process is destroyed; what was read so far is kept
        }
    }

    /** ": " and the stderr tail once the drainer has read to the end (waiting briefly), or "". */
    private static String tailText(Thread drainer, Deque<String> tail) {
        try {
            drainer.join(GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its stderr ended with:\n" + String.join("\n", tail);
        }
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

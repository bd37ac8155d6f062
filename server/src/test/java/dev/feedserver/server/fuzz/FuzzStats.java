package dev.feedserver.server.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a fuzz property's executions and, when {@code -Dfuzz.results=DIR} is given (an
 * on-demand run), writes {@code DIR/fuzz-<name>.json}: executions, crashes (a property stops at
 * its first crash, and the test fails), seconds, and the seed. Thread-safe.
 */
public final class FuzzStats {
    private final String name;
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private final long startNanos = System.nanoTime();

    public FuzzStats(String name) {
        this.name = name;
    }

    public void executed() {
        executions.incrementAndGet();
    }

    /** An input made a property fail (the test fails too). */
    public void crashed() {
        crashes.incrementAndGet();
    }

    public long executions() {
        return executions.get();
    }

    /** Writes the result file when the run asked for one; returns the executions. */
    public long finish(int corpusSize) {
        String dir = System.getProperty("fuzz.results");
        if (dir != null && !dir.isBlank()) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, ResultFile.Metric> metrics = new LinkedHashMap<>();
            metrics.put("executions", new ResultFile.Metric(executions.get(), "inputs"));
            metrics.put("crashes", new ResultFile.Metric(crashes.get(), "inputs"));
            metrics.put("seconds", new ResultFile.Metric(seconds, "s"));
            metrics.put("executions_per_second", new ResultFile.Metric(executions.get() / Math.max(seconds, 1e-9), "inputs/s"));
            ObjectNode details = Json.object().put("property", name).put("corpus_seeds", corpusSize)
                    .put("seed", FuzzLoop.seed()).put("tries", FuzzLoop.tries()).put("seconds_budget", FuzzLoop.seconds());
            ResultFile.write(Path.of(dir, "fuzz-" + name + ".json"), "fuzz-" + name,
                    "./mvnw -pl server -am test -Dtest=" + name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'))
                            + " -Dfuzz.seconds=" + FuzzLoop.seconds() + " -Dfuzz.seed=" + FuzzLoop.seed()
                            + " -Dfuzz.results=$PWD/bench/results", metrics, details);
        }
        return executions.get();
    }
}

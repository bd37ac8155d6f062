package dev.feedserver.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * JMH results indexed by benchmark method and parameters, read as medians with their spread
 * (minimum and maximum over measurement iterations): the machines are shared and noisy, so a
 * median says more than a mean. Immutable after construction.
 */
final class JmhFigures {
    /** Median, min and max of one benchmark's per-iteration scores, in its own unit. */
    record Figure(double median, double min, double max, String unit) {
    }

    private final Map<String, Figure> byKey = new LinkedHashMap<>();

    JmhFigures(Collection<RunResult> results) {
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            StringBuilder key = new StringBuilder(method);
            for (String param : result.getParams().getParamsKeys()) {
                key.append(' ').append(param).append('=').append(result.getParams().getParam(param));
            }
            key.append(" threads=").append(result.getParams().getThreads());
            Statistics stats = result.getPrimaryResult().getStatistics();
            byKey.put(key.toString(), new Figure(stats.getPercentile(50), stats.getMin(), stats.getMax(),
                    result.getPrimaryResult().getScoreUnit()));
        }
    }

    /** The figure whose key starts with {@code method} and contains every {@code param=value}. */
    Figure get(String method, String... params) {
        for (Map.Entry<String, Figure> e : byKey.entrySet()) {
            if (!e.getKey().startsWith(method + " ") && !e.getKey().equals(method)) {
                continue;
            }
            boolean all = true;
            for (String p : params) {
                all &= e.getKey().contains(" " + p);
            }
            if (all) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("no JMH result for " + method + " " + String.join(" ", params) + " in " + byKey.keySet());
    }

    Map<String, Figure> all() {
        return byKey;
    }
}

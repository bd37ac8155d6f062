package dev.feedserver.bench;

import dev.feedserver.bench.ResultSummary.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load suite's two derived tables for the report, built from its headline metrics only:
 * in-process against the Redis + model-server baseline at each rate both ran
 * ({@code in_process_<rate>_p50_ms}, {@code baseline_<rate>_p50_ms}, ...), and the cost per
 * million feeds of every run that has one ({@code <run>_usd_per_million_feeds_<price>}) beside
 * the managed API's published price. Empty when the file has neither. Pure and stateless.
 */
final class LoadComparisonMarkdown {
    private static final Pattern RATIO = Pattern.compile("baseline_(\\d+)_p50_ratio");
    private static final Pattern COST = Pattern.compile("(.+)_usd_per_million_feeds_([a-z_]+)");

    private LoadComparisonMarkdown() {
    }

    /** The tables as Markdown, or "" when the metrics hold no baseline and no cost. */
    static String render(List<Metric> metrics) {
        Map<String, Double> byName = new LinkedHashMap<>();
        metrics.forEach(m -> byName.put(m.name(), m.value()));
        StringBuilder out = new StringBuilder();
        comparison(byName, out);
        cost(byName, out);
        return out.toString();
    }

    private static void comparison(Map<String, Double> m, StringBuilder out) {
        List<String> rates = new ArrayList<>();
        for (String name : m.keySet()) {
            Matcher matcher = RATIO.matcher(name);
            if (matcher.matches()) {
                rates.add(matcher.group(1));
            }
        }
        if (rates.isEmpty()) {
            return;
        }
        out.append("### In-process against the Redis + model-server baseline\n\n")
                .append("Both systems at the same offered rate, back to back in the same run; a ratio is baseline / in-process.\n\n")
                .append("| rate (feeds/s) | in-process p50 (ms) | in-process p99 (ms) | baseline p50 (ms) | baseline p99 (ms) "
                        + "| p50 ratio | p99 ratio | CPU-s per 1,000 feeds, in-process | CPU-s per 1,000 feeds, baseline |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String r : rates) {
            out.append("| ").append(r);
            for (String name : List.of("in_process_" + r + "_p50_ms", "in_process_" + r + "_p99_ms", "baseline_" + r + "_p50_ms",
                    "baseline_" + r + "_p99_ms", "baseline_" + r + "_p50_ratio", "baseline_" + r + "_p99_ratio",
                    "in_process_" + r + "_cpu_s_per_1000_feeds", "baseline_" + r + "_cpu_s_per_1000_feeds")) {
                out.append(" | ").append(cell(m.get(name)));
            }
            out.append(" |\n");
        }
        out.append('\n');
    }

    private static void cost(Map<String, Double> m, StringBuilder out) {
        Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
        Set<String> prices = new LinkedHashSet<>();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            Matcher matcher = COST.matcher(e.getKey());
            if (matcher.matches()) {
                runs.computeIfAbsent(matcher.group(1), k -> new LinkedHashMap<>()).put(matcher.group(2), e.getValue());
                prices.add(matcher.group(2));
            }
        }
        Double managed = m.get("managed_api_usd_per_million_feeds");
        if (runs.isEmpty() && managed == null) {
            return;
        }
        out.append("### Cost per million feeds\n\n")
                .append("CPU time measured per feed, priced per hardware-thread hour (prices and sources: `details.prices` in the result file).\n\n")
                .append("| run | CPU-s per 1,000 feeds |");
        prices.forEach(p -> out.append(" USD per million feeds, ").append(p.replace('_', ' ')).append(" |"));
        out.append("\n|---|---:|");
        prices.forEach(p -> out.append("---:|"));
        out.append('\n');
        runs.forEach((run, usd) -> {
            Double cpu = m.containsKey(run + "_cpu_s_per_1000_feeds") ? m.get(run + "_cpu_s_per_1000_feeds")
                    : m.get(run + "_server_cpu_s_per_1000_feeds");
            out.append("| `").append(run).append("` | ").append(cell(cpu)).append(" |");
            prices.forEach(p -> out.append(' ').append(cell(usd.get(p))).append(" |"));
            out.append('\n');
        });
        out.append('\n');
        if (managed != null) {
            out.append("A managed recommendation API at its published price: USD ").append(ReportFigures.format(managed))
                    .append(" per million requests.\n\n");
        }
    }

    private static String cell(Double value) {
        return value == null ? "not measured" : ReportFigures.format(value);
    }
}

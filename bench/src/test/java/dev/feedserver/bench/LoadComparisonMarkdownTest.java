package dev.feedserver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.bench.ResultSummary.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's baseline and cost tables come from the load metrics, row per rate and per run. */
class LoadComparisonMarkdownTest {

    @Test
    void oneRowPerBaselineRateAndPerCostedRun() {
        String md = LoadComparisonMarkdown.render(List.of(
                new Metric("feed_p50_ms", 5.1, "ms"),
                new Metric("feed_server_cpu_s_per_1000_feeds", 4.5, "cpu-s"),
                new Metric("feed_usd_per_million_feeds_bare_metal", 0.0122, "usd"),
                new Metric("feed_usd_per_million_feeds_cloud", 0.0531, "usd"),
                new Metric("managed_api_usd_per_million_feeds", 270, "usd"),
                new Metric("in_process_10_p50_ms", 4.0, "ms"),
                new Metric("baseline_10_p50_ms", 80.0, "ms"),
                new Metric("in_process_10_p99_ms", 12.0, "ms"),
                new Metric("baseline_10_p99_ms", 240.0, "ms"),
                new Metric("baseline_10_p50_ratio", 20.0, "x"),
                new Metric("baseline_10_p99_ratio", 20.0, "x"),
                new Metric("in_process_10_cpu_s_per_1000_feeds", 5.0, "cpu-s"),
                new Metric("baseline_10_cpu_s_per_1000_feeds", 90.0, "cpu-s"),
                new Metric("baseline_10_usd_per_million_feeds_cloud", 1.06, "usd")));
        assertTrue(md.contains("| 10 | 4 | 12 | 80 | 240 | 20 | 20 | 5 | 90 |"), md);
        assertTrue(md.contains("| `feed` | 4.5 | 0.0122 | 0.0531 |"), md);
        assertTrue(md.contains("| `baseline_10` | 90 | not measured | 1.06 |"), md);
        assertTrue(md.contains("USD 270 per million requests"), md);
    }

    @Test
    void nothingWithoutBaselineOrCostMetrics() {
        assertEquals("", LoadComparisonMarkdown.render(List.of(new Metric("feed_p50_ms", 5.1, "ms"))));
    }
}

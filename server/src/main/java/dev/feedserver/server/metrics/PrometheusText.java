package dev.feedserver.server.metrics;

import dev.feedserver.ranking.feed.Stage;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Renders {@link Metrics} in the Prometheus text exposition format (version 0.0.4): counters,
 * gauges, and latency histograms with fixed second buckets plus HdrHistogram quantiles as a
 * separate gauge family. Stateless.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final double[] BUCKETS_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    };
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private PrometheusText() {
    }

    public static String render(Metrics metrics) {
        StringBuilder out = new StringBuilder(8192);
        out.append("# HELP feedserver_info Build and runtime facts as labels.\n# TYPE feedserver_info gauge\n");
        out.append("feedserver_info{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(metrics.infoLabels()).entrySet()) {
            out.append(first ? "" : ",").append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
            first = false;
        }
        out.append("} 1\n");

        out.append("# HELP feedserver_requests_total HTTP requests by route and status.\n# TYPE feedserver_requests_total counter\n");
        for (Map.Entry<String, java.util.concurrent.atomic.LongAdder> e : new TreeMap<>(metrics.requests()).entrySet()) {
            String[] parts = e.getKey().split("\u0000");
            out.append("feedserver_requests_total{route=\"").append(parts[0]).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        out.append("# HELP feedserver_events_applied_total Interaction events applied to the live model.\n# TYPE feedserver_events_applied_total counter\n");
        out.append("feedserver_events_applied_total ").append(metrics.eventsAppliedTotal()).append('\n');
        out.append("# HELP feedserver_overload_rejections_total Requests answered 503 because the worker pool was full.\n# TYPE feedserver_overload_rejections_total counter\n");
        out.append("feedserver_overload_rejections_total ").append(metrics.rejectedOverloadTotal()).append('\n');
        out.append("# HELP feedserver_queue_wait_rejections_total Requests answered 503 unrun because they waited in the worker queue past --max-queue-wait.\n# TYPE feedserver_queue_wait_rejections_total counter\n");
        out.append("feedserver_queue_wait_rejections_total ").append(metrics.rejectedQueueWaitTotal()).append('\n');
        out.append("# HELP feedserver_user_store_full_total Event batches refused because the user store was full.\n# TYPE feedserver_user_store_full_total counter\n");
        out.append("feedserver_user_store_full_total ").append(metrics.userStoreFullTotal()).append('\n');
        out.append("# HELP feedserver_event_log_failures_total Changes refused because the event log could not take them.\n# TYPE feedserver_event_log_failures_total counter\n");
        out.append("feedserver_event_log_failures_total ").append(metrics.eventLogFailuresTotal()).append('\n');
        out.append("# HELP feedserver_event_batch_duplicates_total Event batches whose batch_id was applied before (not applied again).\n# TYPE feedserver_event_batch_duplicates_total counter\n");
        out.append("feedserver_event_batch_duplicates_total ").append(metrics.eventBatchDuplicatesTotal()).append('\n');
        for (Map.Entry<String, java.util.function.LongSupplier> e : new TreeMap<>(metrics.gauges()).entrySet()) {
            out.append("# TYPE ").append(e.getKey()).append(" gauge\n").append(e.getKey()).append(' ')
                    .append(e.getValue().getAsLong()).append('\n');
        }

        histogramHeader(out, "feedserver_request_duration_seconds", "HTTP request latency by route, from routing to response.");
        for (Map.Entry<String, LatencyHistogram> e : new TreeMap<>(metrics.routeLatency()).entrySet()) {
            histogram(out, "feedserver_request_duration_seconds", "route", e.getKey(), e.getValue().snapshot());
        }
        histogramHeader(out, "feedserver_feed_stage_duration_seconds", "Feed pipeline latency per stage.");
        StringBuilder quantiles = new StringBuilder();
        quantiles.append("# HELP feedserver_feed_stage_quantile_seconds Feed stage latency quantiles since start (HdrHistogram).\n")
                .append("# TYPE feedserver_feed_stage_quantile_seconds gauge\n");
        for (Stage stage : Stage.values()) {
            Histogram h = metrics.stageLatency().get(stage).snapshot();
            histogram(out, "feedserver_feed_stage_duration_seconds", "stage", stage.label(), h);
            quantiles(quantiles, stage.label(), h);
        }
        Histogram total = metrics.feedTotal().snapshot();
        histogram(out, "feedserver_feed_stage_duration_seconds", "stage", "total", total);
        quantiles(quantiles, "total", total);
        out.append(quantiles);
        new TreeMap<>(metrics.sections()).values().forEach(section -> section.accept(out));
        return out.toString();
    }

    private static void histogramHeader(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
    }

    private static void histogram(StringBuilder out, String name, String label, String value, Histogram h) {
        String labels = label + "=\"" + value + "\"";
        for (double bound : BUCKETS_SECONDS) {
            long micros = (long) Math.round(bound * 1_000_000);
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, micros);
            out.append(name).append("_bucket{").append(labels).append(",le=\"").append(bound).append("\"} ").append(count).append('\n');
        }
        out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(h.getTotalCount()).append('\n');
        double sumSeconds = h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount() / 1_000_000.0;
        out.append(name).append("_sum{").append(labels).append("} ").append(sumSeconds).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(h.getTotalCount()).append('\n');
    }

    private static void quantiles(StringBuilder out, String stage, Histogram h) {
        for (double q : QUANTILES) {
            double seconds = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(q * 100) / 1_000_000.0;
            out.append("feedserver_feed_stage_quantile_seconds{stage=\"").append(stage).append("\",quantile=\"").append(q)
                    .append("\"} ").append(seconds).append('\n');
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

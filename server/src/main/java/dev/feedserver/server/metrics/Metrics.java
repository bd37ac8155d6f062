package dev.feedserver.server.metrics;

import dev.feedserver.ranking.feed.Stage;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's metric registry: request counts by route and status, request latency per route,
 * feed latency per pipeline stage, and gauges read at scrape time. Label sets are bounded
 * (routes and stages are enums, statuses are HTTP codes), so no client input can grow it.
 *
 * <p>Threading: recording is lock-free from any thread; {@link PrometheusText} reads it.
 */
public final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LatencyHistogram> routeLatency = new ConcurrentHashMap<>();
    private final EnumMap<Stage, LatencyHistogram> stageLatency = new EnumMap<>(Stage.class);
    private final LatencyHistogram feedTotal = new LatencyHistogram();
    private final LongAdder eventsApplied = new LongAdder();
    private final LongAdder rejectedOverload = new LongAdder();
    private final LongAdder rejectedQueueWait = new LongAdder();
    private final LongAdder userStoreFull = new LongAdder();
    private final LongAdder eventLogFailures = new LongAdder();
    private final LongAdder eventBatchDuplicates = new LongAdder();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> info = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Consumer<StringBuilder>> sections = new ConcurrentHashMap<>();

    public Metrics() {
        for (Stage stage : Stage.values()) {
            stageLatency.put(stage, new LatencyHistogram());
        }
    }

    public void recordRequest(String route, int status, long nanos) {
        requests.computeIfAbsent(route + '\u0000' + status, k -> new LongAdder()).increment();
        routeLatency.computeIfAbsent(route, k -> new LatencyHistogram()).recordNanos(nanos);
    }

    /** Records one feed request's stage timings, indexed by {@link Stage#ordinal()}. */
    public void recordStages(long[] stageNanos) {
        long sum = 0;
        for (Stage stage : Stage.values()) {
            stageLatency.get(stage).recordNanos(stageNanos[stage.ordinal()]);
            sum += stageNanos[stage.ordinal()];
        }
        feedTotal.recordNanos(sum);
    }

    public void eventsApplied(int n) {
        eventsApplied.add(n);
    }

    public void rejectedOverload() {
        rejectedOverload.increment();
    }

    /** A request that waited in the worker queue past its bound and was answered 503 unrun. */
    public void rejectedQueueWait() {
        rejectedQueueWait.increment();
    }

    public void userStoreFull() {
        userStoreFull.increment();
    }

    /** A change refused because the event log could not take it. */
    public void eventLogFailure() {
        eventLogFailures.increment();
    }

    /** An event batch whose {@code batch_id} named one applied before: answered, not applied again. */
    public void eventBatchDuplicate() {
        eventBatchDuplicates.increment();
    }

    long eventBatchDuplicatesTotal() {
        return eventBatchDuplicates.sum();
    }

    long eventLogFailuresTotal() {
        return eventLogFailures.sum();
    }

    long userStoreFullTotal() {
        return userStoreFull.sum();
    }

    /** Registers a gauge read at scrape time; {@code name} must be a valid metric name. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /** Registers a constant info label, exported as {@code feedserver_info{key="value"} 1}. */
    public void info(String key, String value) {
        info.put(key, value);
    }

    /**
     * Registers a block of whole metric families (with their own HELP/TYPE lines and labels)
     * written at scrape time, after the built-in ones, in name order; for subsystems whose
     * metrics carry labels (see {@link GenerationGauges}).
     */
    public void section(String name, java.util.function.Consumer<StringBuilder> writer) {
        sections.put(name, writer);
    }

    Map<String, java.util.function.Consumer<StringBuilder>> sections() {
        return sections;
    }

    Map<String, LongAdder> requests() {
        return requests;
    }

    Map<String, LatencyHistogram> routeLatency() {
        return routeLatency;
    }

    EnumMap<Stage, LatencyHistogram> stageLatency() {
        return stageLatency;
    }

    LatencyHistogram feedTotal() {
        return feedTotal;
    }

    long eventsAppliedTotal() {
        return eventsApplied.sum();
    }

    long rejectedOverloadTotal() {
        return rejectedOverload.sum();
    }

    public long rejectedQueueWaitTotal() {
        return rejectedQueueWait.sum();
    }

    Map<String, LongSupplier> gauges() {
        return gauges;
    }

    Map<String, String> infoLabels() {
        return info;
    }
}

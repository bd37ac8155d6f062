package dev.feedserver.bench;

import dev.feedserver.generation.registry.FootprintMeter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile.Metric;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The overload scenario of the load suite: feeds offered at rates well past what two cores can
 * serve. Here a {@code 503 overloaded} with {@code Retry-After} is the expected answer to the
 * excess, so responses are split three ways: accepted (200 with a well-formed feed), shed (503
 * {@code overloaded} with {@code Retry-After}) and errors (anything else, which must stay zero).
 * It reports accepted throughput against offered rate, the latency of accepted and of shed
 * requests (coordinated-omission free, as the other scenarios), and the server's resident memory
 * sampled every second, which must stay flat. Plot: {@code load-overload.png}.
 *
 * <p>Threading: like {@link LoadSuite}'s runs (one scheduler, completions on the HTTP client's
 * threads) plus one memory sampler thread per run. Stateless between calls.
 */
final class OverloadScenario {
    private final LoadSuite suite;

    OverloadScenario(LoadSuite suite) {
        this.suite = suite;
    }

    /** Runs each rate (5 s warm-up, then the suite's measured seconds) and returns the JSON section. */
    ObjectNode measure(URI base, List<Integer> rates, long pid, Map<String, Metric> metrics) throws Exception {
        ObjectNode section = Json.object();
        section.put("method", "feeds offered open-loop past capacity; accepted = 200 with a well-formed feed, shed = 503 'overloaded' "
                + "with Retry-After, errors = anything else; latency from the scheduled send time; server RSS from /proc/<pid>/status "
                + "every second");
        ArrayNode runs = section.putArray("runs");
        List<double[]> accepted = new ArrayList<>();
        List<double[]> offered = new ArrayList<>();
        List<double[]> acceptedP99 = new ArrayList<>();
        for (int rate : rates) {
            ObjectNode run = runOnce(base, rate, pid);
            runs.add(run);
            accepted.add(new double[] {rate, run.get("accepted_per_s").asDouble()});
            offered.add(new double[] {rate, rate});
            acceptedP99.add(new double[] {rate, run.get("accepted_p99_ms").asDouble()});
            String prefix = "overload_" + rate + "_";
            metrics.put(prefix + "accepted_per_s", new Metric(run.get("accepted_per_s").asDouble(), "requests/s"));
            metrics.put(prefix + "accepted_p99_ms", new Metric(run.get("accepted_p99_ms").asDouble(), "ms"));
            metrics.put(prefix + "shed_share", new Metric(run.get("shed_share").asDouble(), "ratio"));
            metrics.put(prefix + "errors", new Metric(run.get("errors").asLong(), "responses"));
            if (run.has("rss_growth_mib")) {
                metrics.put(prefix + "rss_growth_mib", new Metric(run.get("rss_growth_mib").asDouble(), "MiB"));
            }
        }
        Charts.lines(suite.output().resolve("load-overload.png"), "Under overload: accepted throughput and accepted-request P99",
                "offered rate (feeds/s)", "feeds/s (throughput) or ms (p99)",
                Map.of("offered", offered.toArray(double[][]::new), "accepted per s", accepted.toArray(double[][]::new),
                        "accepted p99 (ms)", acceptedP99.toArray(double[][]::new)), false);
        return section;
    }

    private ObjectNode runOnce(URI base, int rate, long pid) throws Exception {
        System.err.printf(Locale.ROOT, "load: overload at %d/s: 5 s warm-up, %d s measured%n", rate, suite.seconds());
        suite.drive(base, "feed", rate, 5, LoadSuite.Completion.IGNORE);
        Recorder acceptedLatency = new Recorder(3);
        Recorder shedLatency = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        MemorySampler memory = new MemorySampler(pid);
        memory.start();
        long start = System.nanoTime();
        long sent = suite.drive(base, "feed", rate, suite.seconds(), (latency, response, failure, event) -> {
            if (failure == null && response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                    && response.body().contains("\"overloaded\"")) {
                shedLatency.recordValue(Math.max(1, latency));
                return;
            }
            String problem = failure != null ? "transport: " + failure.getClass().getSimpleName() : suite.check(response, false);
            if (problem != null) {
                errors.incrementAndGet();
                kinds.merge(problem, 1L, Long::sum);
            } else {
                acceptedLatency.recordValue(Math.max(1, latency));
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        memory.stop();
        Histogram ok = acceptedLatency.getIntervalHistogram();
        Histogram shed = shedLatency.getIntervalHistogram();
        long missing = suite.pendingAtEnd();
        ObjectNode node = Json.object();
        node.put("offered_rate", rate).put("requests", sent).put("seconds", elapsed)
                .put("accepted", ok.getTotalCount()).put("accepted_per_s", ok.getTotalCount() / elapsed)
                .put("shed", shed.getTotalCount()).put("shed_share", sent == 0 ? 0 : (double) shed.getTotalCount() / sent)
                .put("errors", errors.get() + missing)
                .put("accepted_p50_ms", ok.getValueAtPercentile(50) / 1e6).put("accepted_p99_ms", ok.getValueAtPercentile(99) / 1e6)
                .put("accepted_max_ms", ok.getMaxValue() / 1e6)
                .put("shed_p50_ms", shed.getValueAtPercentile(50) / 1e6).put("shed_p99_ms", shed.getValueAtPercentile(99) / 1e6);
        ObjectNode errorKinds = node.putObject("error_kinds");
        kinds.forEach(errorKinds::put);
        if (missing > 0) {
            errorKinds.put("no response within 30 s", missing);
        }
        memory.describe(node);
        System.out.printf(Locale.ROOT, "overload %4d/s  accepted %.0f/s  p50 %.2f ms  p99 %.2f ms  shed %.1f%%  errors %d%n", rate,
                ok.getTotalCount() / elapsed, ok.getValueAtPercentile(50) / 1e6, ok.getValueAtPercentile(99) / 1e6,
                100.0 * shed.getTotalCount() / Math.max(1, sent), errors.get() + missing);
        return node;
    }

    /** Samples a process's resident set once a second on a daemon thread. */
    private static final class MemorySampler {
        private final long pid;
        private final List<Long> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean running;
        private Thread thread;

        MemorySampler(long pid) {
            this.pid = pid;
        }

        void start() {
            if (pid < 0) {
                return;
            }
            running = true;
            thread = Thread.ofPlatform().daemon().name("overload-rss").start(() -> {
                while (running) {
                    long rss = FootprintMeter.residentSetBytes(pid);
                    if (rss > 0) {
                        samples.add(rss);
                    }
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.interrupt();
                thread.join();
            }
        }

        void describe(ObjectNode node) {
            if (samples.isEmpty()) {
                node.put("rss", "not measured (server not started by the suite, or no /proc)");
                return;
            }
            long first = samples.get(0);
            long last = samples.get(samples.size() - 1);
            long peak = samples.stream().mapToLong(Long::longValue).max().orElse(0);
            node.put("rss_first_mib", first / 1048576.0).put("rss_last_mib", last / 1048576.0).put("rss_peak_mib", peak / 1048576.0)
                    .put("rss_growth_mib", (last - first) / 1048576.0).put("rss_samples", samples.size());
        }
    }
}

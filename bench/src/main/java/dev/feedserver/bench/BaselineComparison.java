package dev.feedserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile.Metric;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The load suite's side-by-side comparison: starts the {@link BaselineStack} (Redis, model
 * server, baseline-mode server over the in-process server's own world and model file), checks
 * the two systems serve the same pages, then measures the feed scenario on both, back to back
 * at each of {@code --baseline-rates}, and records the in-process P50 and P99 as ratios of the
 * baseline's, with each system's CPU per 1,000 feeds (the baseline's summed over its three
 * processes) and its cost. Stops the stack before returning, so it never runs during the
 * other scenarios. Writes {@code load-baseline.png}.
 *
 * <p>One thread; one instance per suite run.
 */
final class BaselineComparison {
    private static final int OVERLAP_USERS = 50;

    private final LoadSuite suite;
    private final CostModel cost;

    BaselineComparison(LoadSuite suite, CostModel cost) {
        this.suite = suite;
        this.cost = cost;
    }

    /**
     * Measures both systems into {@code metrics} and {@code details.baseline}. A baseline that
     * cannot be set up (no model file, no redis-server) is recorded as skipped with the reason,
     * not thrown: the rest of the suite's figures stand on their own.
     *
     * @param dataDir the in-process server's data directory, or null when the suite did not start it
     */
    void measure(URI inProcess, long inProcessPid, Path dataDir, Map<String, Metric> metrics, ObjectNode details) throws Exception {
        ObjectNode node = details.putObject("baseline");
        node.put("method", "the same feeds from the architecture users would otherwise build: a second 'serve' over the same "
                + "world and the same trained model file, reading each feed's user vector from a local redis-server (GET; "
                + "events SET it) and scoring the dense feature rows (schema width, float32) on a separate 'model-server' "
                + "process (ONNX Runtime float, the model exported with export-onnx) over HTTP; same retrieval, features and "
                + "response. Both systems run the feed scenario back to back at each rate; CPU is summed over each system's "
                + "processes (in-process: the server; baseline: server + model server + redis-server)");
        Path ranker = dataDir == null ? null : rankerFile(dataDir);
        if (ranker == null) {
            String why = dataDir == null ? "--url: the suite did not start the server, so it has no model file to export"
                    : "the server has no trained ranker model (--ranker none?)";
            skip(node, why);
            return;
        }
        BaselineStack stack;
        try {
            stack = BaselineStack.start(suite.serverJar(), dataDir.resolve("baseline"), ranker, suite.serverArgs(), suite.client());
        } catch (IllegalStateException e) {
            skip(node, e.getMessage());
            return;
        }
        try (stack) {
            node.set("stack", stack.describe());
            node.set("page_overlap", overlap(inProcess, stack.base()));
            int warmupRate = suite.baselineRates().get(0);
            int warmupSeconds = suite.warmupSeconds();
            if (warmupSeconds > 0) {
                // The in-process server was warmed before its first scenario; warm the baseline's the same way.
                System.err.printf(java.util.Locale.ROOT, "load: warming the baseline up: %d s of feeds at %d/s%n", warmupSeconds, warmupRate);
                suite.drive(stack.base(), "feed", warmupRate, warmupSeconds, LoadSuite.Completion.IGNORE);
            }
            metrics.put("baseline_page_overlap", new Metric(node.path("page_overlap").path("baseline_vs_in_process").asDouble(), "fraction"));
            ArrayNode rates = node.putArray("rates");
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            bars.put("in-process (int8 ranker, in-process store)", new ArrayList<>());
            bars.put("baseline (Redis + ONNX Runtime float model server)", new ArrayList<>());
            List<String> categories = new ArrayList<>();
            for (int rate : suite.baselineRates()) {
                LoadSuite.Run local = suite.run(inProcess, "feed", rate, inProcessPid);
                LoadSuite.Run remote = suite.run(stack.base(), "feed", rate, stack.pids());
                ObjectNode entry = rates.addObject();
                entry.put("rate", rate);
                entry.set("in_process", LoadSuite.summary(local, cost));
                ObjectNode remoteSummary = LoadSuite.summary(remote, cost);
                ObjectNode byProcess = remoteSummary.putObject("cpu_s_by_process");
                String[] names = BaselineStack.PROCESS_NAMES;
                for (int p = 0; p < names.length; p++) {
                    byProcess.put(names[p], remote.cpuByProcess()[p]);
                }
                entry.set("baseline", remoteSummary);
                record(metrics, entry, rate, local, remote);
                for (double p : new double[] {50, 99}) {
                    categories.add(String.format(Locale.ROOT, "p%.0f @ %d/s", p, rate));
                    bars.get("in-process (int8 ranker, in-process store)").add(local.latencies().getValueAtPercentile(p) / 1e6);
                    bars.get("baseline (Redis + ONNX Runtime float model server)").add(remote.latencies().getValueAtPercentile(p) / 1e6);
                }
            }
            Charts.bars(suite.output().resolve("load-baseline.png"), "Feed latency: in-process against Redis + model server, same rate",
                    "latency (ms), log scale", categories, bars, true);
        }
    }

    private void record(Map<String, Metric> metrics, ObjectNode entry, int rate, LoadSuite.Run local, LoadSuite.Run remote) {
        String prefix = "baseline_" + rate + "_";
        for (double p : new double[] {50, 99}) {
            double in = local.latencies().getValueAtPercentile(p) / 1e6;
            double out = remote.latencies().getValueAtPercentile(p) / 1e6;
            String name = String.format(Locale.ROOT, "p%.0f", p);
            metrics.put("in_process_" + rate + "_" + name + "_ms", new Metric(in, "ms"));
            metrics.put(prefix + name + "_ms", new Metric(out, "ms"));
            // How many times lower the in-process latency is, at the same rate in the same run.
            metrics.put(prefix + name + "_ratio", new Metric(out / in, "x"));
            entry.put(name + "_ratio", out / in);
        }
        metrics.put(prefix + "errors", new Metric(remote.errors(), "responses"));
        metrics.put("in_process_" + rate + "_errors", new Metric(local.errors(), "responses"));
        cpu(metrics, "in_process_" + rate, local);
        cpu(metrics, "baseline_" + rate, remote);
    }

    private void cpu(Map<String, Metric> metrics, String name, LoadSuite.Run run) {
        if (run.feeds() > 0 && run.serverCpuSeconds() > 0) {
            metrics.put(name + "_cpu_s_per_1000_feeds", new Metric(run.serverCpuSeconds() * 1000 / run.feeds(), "cpu-s"));
            LoadSuite.addCost(metrics, name, run, cost);
        }
    }

    /**
     * How far the two systems serve the same pages: over {@value #OVERLAP_USERS} users, the mean
     * share of the baseline page's items that are also on the in-process page, beside the same
     * share between two in-process requests (cluster sampling is randomised per request, so even
     * one system does not repeat itself exactly).
     */
    private ObjectNode overlap(URI inProcess, URI baseline) throws IOException, InterruptedException {
        double across = 0;
        double itself = 0;
        for (int u = 0; u < OVERLAP_USERS; u++) {
            String user = "u" + (u * 37 % suite.users());
            Set<String> first = page(inProcess, user);
            across += shared(first, page(baseline, user));
            itself += shared(first, page(inProcess, user));
        }
        ObjectNode node = Json.object();
        node.put("users", OVERLAP_USERS).put("limit", suite.limit())
                .put("baseline_vs_in_process", across / OVERLAP_USERS).put("in_process_vs_itself", itself / OVERLAP_USERS);
        System.out.printf(Locale.ROOT, "baseline: pages shared with the in-process server %.3f (in-process with itself %.3f)%n",
                across / OVERLAP_USERS, itself / OVERLAP_USERS);
        return node;
    }

    private Set<String> page(URI base, String user) throws IOException, InterruptedException {
        HttpResponse<String> response = suite.client().send(HttpRequest.newBuilder(base.resolve("/v1/feed?user_id=" + user + "&limit="
                + suite.limit())).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/feed for " + user + " at " + base + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : Json.MAPPER.readTree(response.body()).path("items")) {
            ids.add(item.path("item_id").asText());
        }
        return ids;
    }

    private static double shared(Set<String> a, Set<String> b) {
        if (b.isEmpty()) {
            return 0;
        }
        long n = b.stream().filter(a::contains).count();
        return n / (double) b.size();
    }

    private static Path rankerFile(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("ranker");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".fsrank")).findFirst().orElse(null);
        }
    }

    private static void skip(ObjectNode node, String why) {
        node.put("skipped", why);
        System.err.println("load: baseline skipped: " + why);
    }
}

package dev.feedserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code load} suite: an open-loop load generator against the real server process over HTTP
 * on loopback. Requests leave on a fixed schedule whatever the server does, and each latency is
 * measured from the request's scheduled time, not from when it was actually sent, so a server
 * that stalls is charged for every request that should have left meanwhile (no coordinated
 * omission). Every response's status and body shape is checked; errors are counted by kind and
 * reported, never dropped.
 *
 * <p>Scenarios: {@code feed} (GET /v1/feed for random users), {@code mixed} (90% feeds, 10%
 * batches of 10 events), the side-by-side {@code baseline} ({@link BaselineComparison}: the
 * same feeds from the architecture users would otherwise build, Redis plus a model server,
 * against the in-process server at rates the baseline can sustain), and a {@code ramp} of the
 * feed scenario over increasing rates that stops at the first rate whose P99 exceeds
 * {@code --ramp-p99-ms}, and {@code overload} ({@link OverloadScenario}: offered rates well past
 * capacity, where the server must shed with 503 and keep accepted requests fast). The CPU time of the measured system's processes over each run (from
 * /proc) gives CPU-seconds per 1,000 feeds, and {@link CostModel} dollars per million feeds.
 * Writes {@code load.json}, {@code load-spectrum.png} (latency by percentile),
 * {@code load-ramp.png}, {@code load-baseline.png} and {@code load-overload.png}.
 *
 * <p>Threading: one scheduler thread issues requests through the JDK's asynchronous HTTP client;
 * completions record into a {@link Recorder}. Lifecycle: starts the server (unless {@code --url})
 * and stops it at the end.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Open-loop HTTP load against the real server: feed, mixed 90/10, and a ramp to the highest rate with P99 under a bound.")
public final class LoadSuite implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for load.json and plots (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--url", description = "Load an already running server at this base URL instead of starting one.")
    URI url;

    @Option(names = "--server-jar", defaultValue = "server/target/feedserver.jar", description = "Server jar to start (default ${DEFAULT-VALUE}).")
    Path serverJar;

    @Option(names = "--server-args", split = " ", description = "Extra arguments for 'serve' (space separated), e.g. \"--items 100000\".")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--rate", defaultValue = "100", description = "Requests per second of the feed and mixed scenarios (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per scenario or ramp step, after a 5 s warm-up (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--ramp", split = ",", defaultValue = "50,100,200,400,800,1200,1600,2400,3200",
            description = "Rates of the ramp, ascending (default ${DEFAULT-VALUE}).")
    List<Integer> ramp;

    @Option(names = "--ramp-p99-ms", defaultValue = "50", description = "The ramp stops after the first rate whose P99 exceeds this (default ${DEFAULT-VALUE}).")
    double rampP99Millis;

    @Option(names = "--users", defaultValue = "2000", description = "User ids u0..u(n-1) to request feeds for (default ${DEFAULT-VALUE}, the synthetic default).")
    int users;

    @Option(names = "--items", defaultValue = "5000", description = "Item ids i0..i(n-1) events refer to (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--limit", defaultValue = "20", description = "Feed size asked for (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--baseline-rates", split = ",", defaultValue = "5,10",
            description = "Rates at which the in-process server and the Redis + model-server baseline are measured side by side (default ${DEFAULT-VALUE}).")
    List<Integer> baselineRates;

    @Option(names = "--warmup-seconds", defaultValue = "30",
            description = "Feeds at --rate before the first measured scenario, so the server's JIT has compiled its hot path (default ${DEFAULT-VALUE}; 0 = none).")
    int warmupSeconds;

    @Option(names = "--overload-rates", split = ",", defaultValue = "800,1600",
            description = "Offered feed rates well past capacity for the overload scenario, where 503s are expected (default ${DEFAULT-VALUE}; 0 skips it).")
    List<Integer> overloadRates;

    @Option(names = "--no-baseline", description = "Skip the side-by-side baseline (no redis-server, no model server).")
    boolean noBaseline;

    @Option(names = "--prices", paramLabel = "FILE", description = "Prices for the cost figures (default: the built-in prices.json, sources named inside).")
    Path prices;

    /** Requests of the last {@link #drive} that had no response 30 s after the schedule ended. */
    private volatile long pendingAtEnd;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || seconds < 1 || users < 1 || items < 1 || ramp.isEmpty() || ramp.stream().anyMatch(r -> r < 1)
                || baselineRates.stream().anyMatch(r -> r < 1) || overloadRates.stream().anyMatch(r -> r < 0) || warmupSeconds < 0) {
            throw new IllegalArgumentException("--rate, --seconds, --users, --items and every --ramp and --baseline-rates rate must be >= 1 (--overload-rates >= 0)");
        }
        CostModel cost = CostModel.load(prices);
        Files.createDirectories(output);
        Path dataDir = Files.createTempDirectory("feedserver-load-");
        Process server = null;
        URI base = url;
        try {
            if (base == null) {
                ServerProcesses.Started started = ServerProcesses.serve(serverJar, dataDir, serverArgs, client);
                server = started.process();
                base = started.base();
            }
            long pid = server != null ? server.pid() : -1;
            Map<String, Metric> metrics = new LinkedHashMap<>();
            ObjectNode details = Json.object();
            details.put("rate", rate).put("seconds", seconds).put("limit", limit).put("users", users).put("items", items)
                    .put("server_args", String.join(" ", serverArgs)).put("initial_warmup_seconds", warmupSeconds).put("loadavg_at_start", StoreSuite.readFirstLine("/proc/loadavg"))
                    .put("method", "open loop: requests leave every 1/rate s from one scheduler thread (JDK HttpClient, async, HTTP/1.1 "
                            + "keep-alive); latency = completion - scheduled send time (coordinated-omission free); status and body "
                            + "shape checked on every response");
            Map<String, double[][]> spectra = new LinkedHashMap<>();
            ObjectNode scenarios = details.putObject("scenarios");
            if (warmupSeconds > 0) {
                // A server just started runs its hot path interpreted and then C1-compiled for a while;
                // production servers are measured warm, so the first scenario should be too.
                System.err.printf(Locale.ROOT, "load: warming the server up: %d s of feeds at %d/s%n", warmupSeconds, rate);
                drive(base, "feed", rate, warmupSeconds, Completion.IGNORE);
            }
            metrics.put("managed_api_usd_per_million_feeds", new Metric(cost.managedUsdPerMillion(), "usd"));
            details.set("prices", cost.describe());
            runScenario("feed", base, pid, cost, metrics, scenarios, spectra);
            // Before 'mixed': its events change users, and the baseline's server starts from the
            // unchanged world, so page overlap is only meaningful before any event was posted.
            if (noBaseline || baselineRates.isEmpty()) {
                details.putObject("baseline").put("skipped", "--no-baseline");
            } else {
                new BaselineComparison(this, cost).measure(base, pid, server == null ? null : dataDir, metrics, details);
            }
            runScenario("mixed", base, pid, cost, metrics, scenarios, spectra);
            ArrayNode rampNode = details.putArray("ramp");
            List<double[]> p50s = new ArrayList<>();
            List<double[]> p99s = new ArrayList<>();
            int best = 0;
            for (int step : ramp) {
                Run run = run(base, "feed", step, pid);
                double p99 = run.latencies().getValueAtPercentile(99) / 1e6;
                rampNode.add(summary(run, cost).put("offered_rate", step));
                p50s.add(new double[] {step, run.latencies().getValueAtPercentile(50) / 1e6});
                p99s.add(new double[] {step, p99});
                if (p99 > rampP99Millis || run.errors() > 0) {
                    break;
                }
                best = step;
            }
            metrics.put("ramp_highest_rate_p99_under_" + (int) rampP99Millis + "ms", new Metric(best, "requests/s"));
            if (!overloadRates.contains(0)) {
                // Last: overload must not disturb the ramp's figures.
                details.set("overload", new OverloadScenario(this).measure(base, overloadRates, pid, metrics));
            }
            details.put("loadavg_at_end", StoreSuite.readFirstLine("/proc/loadavg"));
            Path file = output.resolve("load.json");
            ResultFile.write(file, "load", "./feedserver bench load", metrics, details);
            Charts.lines(output.resolve("load-spectrum.png"), "Feed latency by percentile (client-measured, open loop)",
                    "1/(1 - percentile), log scale: 2 = P50, 10 = P90, 100 = P99, 1000 = P99.9", "latency (ms)", spectra, true);
            Charts.lines(output.resolve("load-ramp.png"), "Feed latency against offered rate",
                    "offered rate (requests/s)", "latency (ms)", Map.of("p50", p50s.toArray(double[][]::new), "p99", p99s.toArray(double[][]::new)), false);
            System.out.println("wrote " + file);
            return 0;
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void runScenario(String scenario, URI base, long pid, CostModel cost, Map<String, Metric> metrics, ObjectNode scenarios,
                             Map<String, double[][]> spectra) throws Exception {
        Run run = run(base, scenario, rate, pid);
        record(metrics, scenarios, scenario, run, cost);
        spectra.put(scenario + " @ " + rate + "/s", spectrum(run.latencies()));
        addCost(metrics, scenario, run, cost);
    }

    /** One scenario at one rate. */
    record Run(String scenario, int rate, Histogram latencies, long requests, long errors, Map<String, Long> errorKinds,
               double achievedRate, double serverCpuSeconds, long feeds, double[] cpuByProcess) {
    }

    /**
     * One measured run of {@code scenario} at {@code requestsPerSecond} against {@code base}, with
     * a 5 s warm-up; the CPU time is the sum over {@code pids} (the system under test).
     */
    Run run(URI base, String scenario, int requestsPerSecond, long... pids) throws Exception {
        System.err.printf(Locale.ROOT, "load: %s at %d/s: 5 s warm-up, %d s measured%n", scenario, requestsPerSecond, seconds);
        drive(base, scenario, requestsPerSecond, 5, Completion.IGNORE);
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong feeds = new AtomicLong();
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        double[] cpuBefore = new double[pids.length];
        for (int p = 0; p < pids.length; p++) {
            cpuBefore[p] = ServerProcesses.cpuSeconds(pids[p]);
        }
        long start = System.nanoTime();
        long sent = drive(base, scenario, requestsPerSecond, seconds, (latency, response, failure, event) -> {
            recorder.recordValue(Math.max(1, latency));
            String problem = failure != null ? "transport: " + failure.getClass().getSimpleName() : check(response, event);
            if (problem != null) {
                errors.incrementAndGet();
                kinds.merge(problem, 1L, Long::sum);
            } else if (!event) {
                feeds.incrementAndGet();
            }
        });
        if (pendingAtEnd > 0) {
            errors.addAndGet(pendingAtEnd);
            kinds.merge("no response within 30 s", pendingAtEnd, Long::sum);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] cpuByProcess = new double[pids.length];
        double cpu = 0;
        for (int p = 0; p < pids.length; p++) {
            cpuByProcess[p] = ServerProcesses.cpuSeconds(pids[p]) - cpuBefore[p];
            cpu += cpuByProcess[p];
        }
        Histogram h = recorder.getIntervalHistogram();
        Run run = new Run(scenario, requestsPerSecond, h, sent, errors.get(), Map.copyOf(kinds), h.getTotalCount() / elapsed, cpu, feeds.get(), cpuByProcess);
        System.out.printf(Locale.ROOT, "%-6s %4d/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %8.2f ms  errors %d  cpu %.2f s%n",
                scenario, requestsPerSecond, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, errors.get(), cpu);
        return run;
    }

    /**
     * Sends on schedule for {@code durationSeconds}, then waits for the stragglers (up to 30 s,
     * each still charged from its scheduled time); those still missing are left in
     * {@link #pendingAtEnd}. Returns the number of requests sent.
     */
    long drive(URI base, String scenario, int requestsPerSecond, int durationSeconds, Completion completion)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(requestsPerSecond * 31L + scenario.hashCode());
        long interval = 1_000_000_000L / requestsPerSecond;
        long start = System.nanoTime();
        long total = (long) requestsPerSecond * durationSeconds;
        AtomicLong pending = new AtomicLong();
        for (long i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean event = scenario.equals("mixed") && random.nextInt(10) == 0;
            HttpRequest request = event ? eventRequest(base, random) : feedRequest(base, random);
            pending.incrementAndGet();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                long latency = System.nanoTime() - scheduled;
                pending.decrementAndGet();
                completion.completed(latency, response, failure, event);
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        pendingAtEnd = pending.get();
        return total;
    }

    /** What happens to each response of {@link #drive}; called on the HTTP client's threads. */
    @FunctionalInterface
    interface Completion {
        Completion IGNORE = (latency, response, failure, event) -> { };

        /** {@code latencyNanos} from the scheduled send time; {@code response} null when {@code failure} is not. */
        void completed(long latencyNanos, HttpResponse<String> response, Throwable failure, boolean event);
    }

    private HttpRequest feedRequest(URI base, SplittableRandom random) {
        return HttpRequest.newBuilder(base.resolve("/v1/feed?user_id=u" + random.nextInt(users) + "&limit=" + limit))
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private HttpRequest eventRequest(URI base, SplittableRandom random) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        String user = "u" + random.nextInt(users);
        for (int e = 0; e < 10; e++) {
            body.append(e == 0 ? "" : ",").append("{\"user_id\":\"").append(user).append("\",\"item_id\":\"i")
                    .append(random.nextInt(items)).append("\",\"type\":\"").append(random.nextInt(4) == 0 ? "click" : "view").append("\"}");
        }
        body.append("]}");
        return HttpRequest.newBuilder(base.resolve("/v1/events")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    /** Null when the response is what the API promises, else the kind of problem. */
    String check(HttpResponse<String> response, boolean event) {
        int expected = event ? 202 : 200;
        if (response.statusCode() != expected) {
            return "status " + response.statusCode();
        }
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (event) {
                return body.path("accepted").asInt(-1) == 10 ? null : "events body without accepted=10";
            }
            JsonNode list = body.get("items");
            if (list == null || !list.isArray() || list.isEmpty() || list.size() > limit || !list.get(0).has("item_id")
                    || !body.has("timing_us")) {
                return "feed body of the wrong shape";
            }
            return null;
        } catch (Exception e) {
            return "unparsable body";
        }
    }

    /** The server jar, the extra serve arguments and the client the suite was given (for the baseline's processes). */
    Path serverJar() {
        return serverJar;
    }

    List<String> serverArgs() {
        return List.copyOf(serverArgs);
    }

    HttpClient client() {
        return client;
    }

    int limit() {
        return limit;
    }

    Path output() {
        return output;
    }

    int seconds() {
        return seconds;
    }

    int warmupSeconds() {
        return warmupSeconds;
    }

    long pendingAtEnd() {
        return pendingAtEnd;
    }

    int users() {
        return users;
    }

    List<Integer> baselineRates() {
        return List.copyOf(baselineRates);
    }

    /** Headline metrics {@code <name>_usd_per_million_feeds_<price id>} from the run's CPU time per feed. */
    static void addCost(Map<String, Metric> metrics, String name, Run run, CostModel cost) {
        if (run.feeds() == 0 || run.serverCpuSeconds() <= 0) {
            return;
        }
        cost.usdPerMillionFeeds(run.serverCpuSeconds() * 1000 / run.feeds())
                .forEach((id, value) -> metrics.put(name + "_usd_per_million_feeds_" + id, new Metric(value, "usd")));
    }

    static void record(Map<String, Metric> metrics, ObjectNode scenarios, String name, Run run, CostModel cost) {
        Histogram h = run.latencies();
        metrics.put(name + "_p50_ms", new Metric(h.getValueAtPercentile(50) / 1e6, "ms"));
        metrics.put(name + "_p99_ms", new Metric(h.getValueAtPercentile(99) / 1e6, "ms"));
        metrics.put(name + "_errors", new Metric(run.errors(), "responses"));
        if (run.feeds() > 0 && run.serverCpuSeconds() > 0) {
            metrics.put(name + "_server_cpu_s_per_1000_feeds", new Metric(run.serverCpuSeconds() * 1000 / run.feeds(), "cpu-s"));
        }
        scenarios.set(name, summary(run, cost));
    }

    static ObjectNode summary(Run run, CostModel cost) {
        ObjectNode node = summary(run);
        if (run.feeds() > 0 && run.serverCpuSeconds() > 0) {
            double perThousand = run.serverCpuSeconds() * 1000 / run.feeds();
            node.put("cpu_s_per_1000_feeds", perThousand);
            ObjectNode usd = node.putObject("usd_per_million_feeds");
            cost.usdPerMillionFeeds(perThousand).forEach(usd::put);
        }
        return node;
    }

    static ObjectNode summary(Run run) {
        Histogram h = run.latencies();
        ObjectNode node = Json.object();
        node.put("scenario", run.scenario()).put("rate", run.rate()).put("requests", run.requests())
                .put("achieved_rate", run.achievedRate()).put("errors", run.errors())
                .put("p50_ms", h.getValueAtPercentile(50) / 1e6).put("p90_ms", h.getValueAtPercentile(90) / 1e6)
                .put("p99_ms", h.getValueAtPercentile(99) / 1e6).put("p999_ms", h.getValueAtPercentile(99.9) / 1e6)
                .put("max_ms", h.getMaxValue() / 1e6).put("server_cpu_s", run.serverCpuSeconds()).put("feeds", run.feeds());
        ObjectNode kinds = node.putObject("error_kinds");
        run.errorKinds().forEach(kinds::put);
        return node;
    }

    /** (x = 1 / (1 - p), y = latency ms) points from the 50th to the 99.99th percentile. */
    private static double[][] spectrum(Histogram h) {
        double[] percentiles = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
        double[][] points = new double[percentiles.length][];
        for (int i = 0; i < percentiles.length; i++) {
            points[i] = new double[] {1 / (1 - percentiles[i] / 100), h.getValueAtPercentile(percentiles[i]) / 1e6};
        }
        return points;
    }
}

package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code faults} suite: provokes each fault the server claims to survive, mostly against
 * the real server jar, and records what happened in {@code faults.json}: per scenario the fault,
 * the expected behaviour, every observation, and pass, fail or skipped (with the reason, for
 * a fault this machine cannot provoke). A functional result, not a timing: a busy machine does
 * not change it. About two minutes. Exit code 1 when a scenario fails.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Provoke disk-full, read-only, fsync, corrupt-checkpoint, missing-library and model-load faults; write faults.json.")
public final class FaultsSuite implements Callable<Integer> {
    @Option(names = "--server-jar", defaultValue = "server/target/feedserver.jar", description = "Server jar to start (default ${DEFAULT-VALUE}).")
    Path jar;

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for faults.json (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--work-dir", defaultValue = "bench/target/faults", description = "Scratch folder, emptied first (default ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--only", split = ",", description = "Run only these scenarios (by name).")
    List<String> only;

    static List<FaultScenario> scenarios() {
        return List.of(new DiskFullScenario(), new ReadOnlyLogScenario(), new FsyncFailureScenario(), new KeyedRetryScenario(),
                new CorruptCheckpointScenario(), DegradedStartScenario.nativeLibraryMissing(), DegradedStartScenario.miniLmFailing());
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + "; build it with ./mvnw -pl server -am package");
        }
        Tmpfs.run("rm", "-rf", work.toString());
        Files.createDirectories(work);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectNode details = Json.object();
        details.put("server_jar", jar.toString());
        ArrayNode results = details.putArray("scenarios");
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (FaultScenario scenario : scenarios()) {
            if (only != null && !only.contains(scenario.name())) {
                continue;
            }
            Path dir = work.resolve(scenario.name());
            Files.createDirectories(dir);
            Observations observed = new Observations();
            ObjectNode row = results.addObject().put("name", scenario.name()).put("fault", scenario.fault()).put("expected", scenario.expected());
            long start = System.nanoTime();
            String outcome;
            try {
                scenario.run(new FaultScenario.Context(jar, dir, client), observed);
                outcome = observed.passed() ? "pass" : "fail";
            } catch (FaultScenario.Skipped e) {
                outcome = "skipped";
                row.put("reason", e.getMessage());
            } catch (Exception | AssertionError e) {
                outcome = "fail";
                observed.check(false, "the run threw " + e);
            }
            row.put("outcome", outcome);
            row.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
            ArrayNode lines = row.putArray("observed");
            observed.lines().forEach(lines::add);
            switch (outcome) {
                case "pass" -> passed++;
                case "fail" -> failed++;
                default -> skipped++;
            }
            System.out.printf(Locale.ROOT, "%-34s %-7s %s%n", scenario.name(), outcome, String.join("; ", observed.lines()));
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put("scenarios_passed", new Metric(passed, "scenarios"));
        metrics.put("scenarios_failed", new Metric(failed, "scenarios"));
        metrics.put("scenarios_skipped", new Metric(skipped, "scenarios"));
        Path file = output.resolve("faults.json");
        ResultFile.write(file, "faults", "./feedserver bench faults", metrics, details);
        System.out.println("wrote " + file);
        return failed == 0 ? 0 : 1;
    }
}

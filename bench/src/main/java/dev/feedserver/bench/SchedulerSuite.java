package dev.feedserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code scheduler} suite: a burst of small jobs over six real models (MiniLM, FreeTTS and
 * four ranker MLP exports on ONNX Runtime) whose footprints add up to more than the budget,
 * run three ways on the same job list, each in a fresh JVM: our grouped policy within the
 * budget, first-come-first-served with load-on-demand within the same budget, and everything
 * kept resident (no budget). Reports model loads, total time, peak charged memory and the peak
 * growth of the process's resident set; writes {@code scheduler.json} and {@code scheduler.png}.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Generation scheduler: grouped policy vs FCFS vs keep-everything-resident on real models.")
public final class SchedulerSuite implements Callable<Integer> {
    private static final long MIB = 1L << 20;
    private static final List<String> POLICIES = List.of("grouped", "fcfs", "resident");

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for scheduler.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--jobs", defaultValue = "1200", description = "Jobs in the workload (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--workers", defaultValue = "2", description = "Scheduler worker threads (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--budget-fraction", defaultValue = "0.5",
            description = "Budget as a share of the models' summed footprints, at least 1.25x the largest (default ${DEFAULT-VALUE}).")
    double budgetFraction;

    @Option(names = "--seed", defaultValue = "11", description = "Seed of the job mix (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "120 jobs: a smoke run.")
    boolean quick;

    @Option(names = "--child", hidden = true, description = "Internal: run one policy with --budget-bytes and write --part.")
    String child;

    @Option(names = "--budget-bytes", hidden = true)
    long budgetBytes;

    @Option(names = "--part", hidden = true)
    Path part;

    @Override
    public Integer call() throws Exception {
        int jobCount = quick ? 120 : jobs;
        Path dir = Files.createTempDirectory("feedserver-scheduler-bench");
        SchedulerModels models = new SchedulerModels(dir);
        SchedulerRun runner = new SchedulerRun(models, seed);
        runner.calibrate();
        if (child != null) {
            Files.write(part, Json.bytes(runner.run(child, config(child, budgetBytes), jobCount)));
            return 0;
        }
        Files.createDirectories(output);
        ObjectNode details = Json.object();
        ObjectNode footprints = details.putObject("models");
        long sum = 0;
        long largest = 0;
        for (RegisteredModel model : models.models()) {
            long footprint = model.footprintBytes();
            sum += footprint;
            largest = Math.max(largest, footprint);
            footprints.putObject(model.name()).put("kind", model.spec().kind().name()).put("backend", model.spec().backend().name())
                    .put("stored_bytes", model.spec().source().sizeBytes()).put("estimate_bytes", model.estimateBytes())
                    .put("measured_bytes", model.measuredBytes()).put("footprint_bytes", footprint)
                    .put("job_weight", models.weights().get(model.name()));
            System.out.printf(Locale.ROOT, "%-20s estimate %6.1f MiB, measured %6.1f MiB%n", model.name(),
                    model.estimateBytes() / (double) MIB, model.measuredBytes() / (double) MIB);
        }
        long budget = Math.max((long) (largest * 1.25), (long) (sum * budgetFraction));
        if (budget >= sum) {
            throw new IllegalStateException("the budget " + budget + " must be below the summed footprints " + sum);
        }
        System.out.printf(Locale.ROOT, "footprints sum %.1f MiB, budget %.1f MiB, %d jobs, %d workers%n",
                sum / (double) MIB, budget / (double) MIB, jobCount, workers);
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (String policy : POLICIES) {
            JsonNode run = runChild(policy, budget, jobCount, dir);
            runs.put(policy, run);
            System.out.printf(Locale.ROOT, "%-9s %5d loads %5d unloads %8.2f s  peak charged %7.1f MiB  peak growth: malloc in use "
                            + "%7.1f MiB, RSS %7.1f MiB, off-heap RSS %7.1f MiB%n", policy, run.get("loads").asLong(),
                    run.get("unloads").asLong(), run.get("seconds").asDouble(), mib(run, "peak_charged_bytes"),
                    mib(run, "peak_malloc_in_use_growth_bytes"), mib(run, "peak_rss_growth_bytes"), mib(run, "peak_offheap_growth_bytes"));
        }
        write(runs, details, budget, sum, jobCount);
        return 0;
    }

    private SchedulerConfig config(String policy, long budget) {
        return switch (policy) {
            case "grouped" -> new SchedulerConfig(budget, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.GROUPED);
            case "fcfs" -> new SchedulerConfig(budget, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.FIFO);
            case "resident" -> new SchedulerConfig(Long.MAX_VALUE, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.GROUPED);
            default -> throw new IllegalArgumentException("unknown policy '" + policy + "'; one of " + POLICIES);
        };
    }

    /** Runs one policy in a fresh JVM with this JVM's flags and class path; its JSON part. */
    private JsonNode runChild(String policy, long budget, int jobCount, Path dir) throws Exception {
        Path partFile = dir.resolve(policy + ".json");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchCli.class.getName(), "scheduler",
                "--child", policy, "--budget-bytes", Long.toString(budget), "--jobs", Integer.toString(jobCount),
                "--workers", Integer.toString(workers), "--seed", Long.toString(seed), "--part", partFile.toString()));
        Process process = new ProcessBuilder(command).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("the " + policy + " run exited with " + exit);
        }
        return Json.MAPPER.readTree(partFile.toFile());
    }

    private void write(Map<String, JsonNode> runs, ObjectNode details, long budget, long sum, int jobCount) {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put("budget_mib", new Metric(budget / (double) MIB, "MiB"));
        metrics.put("footprints_sum_mib", new Metric(sum / (double) MIB, "MiB"));
        runs.forEach((policy, run) -> {
            metrics.put(policy + "_loads", new Metric(run.get("loads").asDouble(), "loads"));
            metrics.put(policy + "_seconds", new Metric(run.get("seconds").asDouble(), "s"));
            metrics.put(policy + "_peak_mib", new Metric(mib(run, "peak_charged_bytes"), "MiB"));
            metrics.put(policy + "_peak_malloc_growth_mib", new Metric(mib(run, "peak_malloc_in_use_growth_bytes"), "MiB"));
            metrics.put(policy + "_peak_rss_growth_mib", new Metric(mib(run, "peak_rss_growth_bytes"), "MiB"));
            metrics.put(policy + "_peak_offheap_growth_mib", new Metric(mib(run, "peak_offheap_growth_bytes"), "MiB"));
        });
        JsonNode grouped = runs.get("grouped");
        JsonNode fcfs = runs.get("fcfs");
        metrics.put("load_reduction_vs_fcfs", new Metric(fcfs.get("loads").asDouble() / Math.max(1, grouped.get("loads").asDouble()), "x"));
        metrics.put("speedup_vs_fcfs", new Metric(fcfs.get("seconds").asDouble() / grouped.get("seconds").asDouble(), "x"));
        ObjectNode perRun = details.putObject("runs");
        runs.forEach(perRun::set);
        details.put("jobs", jobCount).put("workers", workers).put("seed", seed)
                .put("method", "One burst: every job submitted at once, interleaved at random by the job weights; the same job list "
                        + "for each policy, each run in a fresh JVM after loading every model once (to measure it and warm up). "
                        + "Footprints are max(estimate, measured); MiniLM, FreeTTS and the ONNX models cannot report their memory, so "
                        + "they are measured across a load (ONNX Runtime: growth of glibc's bytes in use, mallinfo2; FreeTTS: the loading "
                        + "thread's heap allocations plus that). Sampled every millisecond against the state before the run: peak "
                        + "growth of glibc's bytes in use (what native models hold), of the resident set (also the heap's growth "
                        + "under the jobs' garbage, and freed memory the C allocator keeps: after the calibration loads, a run may "
                        + "reuse it without growing), and of the resident set less the committed heap.");
        Path file = output.resolve("scheduler.json");
        ResultFile.write(file, "scheduler", "./feedserver bench scheduler" + (quick ? " --quick" : ""), metrics, details);
        List<String> names = List.of("ours (grouped)", "FCFS, load on demand", "keep all resident");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("model loads", POLICIES.stream().map(p -> Math.max(1, runs.get(p).get("loads").asDouble())).toList());
        series.put("peak charged MiB", POLICIES.stream().map(p -> mib(runs.get(p), "peak_charged_bytes")).toList());
        series.put("total seconds", POLICIES.stream().map(p -> runs.get(p).get("seconds").asDouble()).toList());
        Charts.bars(output.resolve("scheduler.png"),
                String.format(Locale.ROOT, "%,d jobs on 6 models, budget %.0f MiB of %.0f MiB summed footprints", jobCount,
                        budget / (double) MIB, sum / (double) MIB),
                "loads / MiB / seconds (log scale)", names, series, true);
        System.out.println("wrote " + file);
    }

    private static double mib(JsonNode run, String field) {
        return run.get(field).asDouble() / MIB;
    }
}

package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.registry.FootprintMeter;
import dev.feedserver.generation.registry.LoadResult;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.ModelStatsSnapshot;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.scheduler.SchedulerStats;
import dev.feedserver.generation.scheduler.TaskHandle;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code scheduler} suite: a burst of small jobs over six real models (MiniLM, FreeTTS and
 * four ranker MLP exports on ONNX Runtime) whose footprints add up to more than the budget,
 * run three ways on the same job list: our grouped policy within the budget, first-come-
 * first-served with load-on-demand within the same budget, and everything kept resident (no
 * budget). Reports model loads, total time, peak charged memory and the peak growth of the
 * process's resident set; writes {@code scheduler.json} and {@code scheduler.png}.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Generation scheduler: grouped policy vs FCFS vs keep-everything-resident on real models.")
public final class SchedulerSuite implements Callable<Integer> {
    private static final long MIB = 1L << 20;

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

    /** One policy's run. */
    record Run(String name, long loads, long unloads, double seconds, long peakCharged, long peakRssGrowth, long peakOffHeapGrowth,
               SchedulerStats stats) {
    }

    @Override
    public Integer call() throws Exception {
        int jobCount = quick ? 120 : jobs;
        Files.createDirectories(output);
        Path dir = Files.createTempDirectory("feedserver-scheduler-bench");
        SchedulerModels models = new SchedulerModels(dir);
        ObjectNode details = Json.object();
        ObjectNode footprints = details.putObject("models");
        long sum = 0;
        long largest = 0;
        for (RegisteredModel model : models.models()) {
            calibrate(models, model);
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

        List<Run> runs = new ArrayList<>();
        runs.add(run(models, "grouped", new SchedulerConfig(budget, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.GROUPED), jobCount));
        runs.add(run(models, "fcfs", new SchedulerConfig(budget, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.FIFO), jobCount));
        runs.add(run(models, "resident", new SchedulerConfig(Long.MAX_VALUE, workers, SchedulerConfig.DEFAULT_AGING_STARTS, SchedulerConfig.Policy.GROUPED), jobCount));

        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put("budget_mib", new Metric(budget / (double) MIB, "MiB"));
        metrics.put("footprints_sum_mib", new Metric(sum / (double) MIB, "MiB"));
        ObjectNode finalFootprints = details.putObject("footprints_after_runs");
        models.models().forEach(m -> finalFootprints.put(m.name(), m.footprintBytes()));
        ObjectNode perRun = details.putObject("runs");
        for (Run run : runs) {
            metrics.put(run.name() + "_loads", new Metric(run.loads(), "loads"));
            metrics.put(run.name() + "_seconds", new Metric(run.seconds(), "s"));
            metrics.put(run.name() + "_peak_mib", new Metric(run.peakCharged() / (double) MIB, "MiB"));
            metrics.put(run.name() + "_peak_rss_growth_mib", new Metric(run.peakRssGrowth() / (double) MIB, "MiB"));
            metrics.put(run.name() + "_peak_offheap_growth_mib", new Metric(run.peakOffHeapGrowth() / (double) MIB, "MiB"));
            ObjectNode node = perRun.putObject(run.name()).put("unloads", run.unloads());
            for (ModelStatsSnapshot m : run.stats().models()) {
                node.putObject(m.model()).put("loads", m.loads()).put("tasks", m.tasksCompleted()).put("failed", m.tasksFailed())
                        .put("busy_ms", m.busyNanos() / 1e6).put("queue_wait_ms", m.queueWaitNanos() / 1e6)
                        .put("load_ms", m.loadNanos() / 1e6);
            }
        }
        Run grouped = runs.get(0);
        Run fcfs = runs.get(1);
        metrics.put("load_reduction_vs_fcfs", new Metric(fcfs.loads() / (double) Math.max(1, grouped.loads()), "x"));
        metrics.put("speedup_vs_fcfs", new Metric(fcfs.seconds() / grouped.seconds(), "x"));
        details.put("jobs", jobCount).put("workers", workers).put("seed", seed)
                .put("method", "One burst: every job submitted at once, interleaved at random by the job weights; the same job list "
                        + "for each policy, run one after another in one JVM after each model was loaded once to measure it (and warm "
                        + "up). Footprints are max(estimate, measured): MiniLM, FreeTTS and the ONNX models cannot report their memory, "
                        + "so they are measured as the growth of the resident set or heap across a load (approximate). Peak RSS growth "
                        + "is sampled every millisecond against the resident set before the run; it includes the JVM heap's growth "
                        + "under the jobs' garbage and memory the C allocator keeps after an unload. Off-heap growth is the same less "
                        + "the committed heap: mostly ONNX Runtime sessions, plus allocator retention.");
        Path file = output.resolve("scheduler.json");
        ResultFile.write(file, "scheduler", "./feedserver bench scheduler" + (quick ? " --quick" : ""), metrics, details);
        List<String> names = List.of("ours (grouped)", "FCFS, load on demand", "keep all resident");
        Charts.bars(output.resolve("scheduler.png"),
                String.format(Locale.ROOT, "%,d jobs on 6 models, budget %.0f MiB of %.0f MiB summed footprints", jobCount,
                        budget / (double) MIB, sum / (double) MIB),
                "count / MiB / seconds (log scale)", names,
                Map.of("model loads", runs.stream().map(r -> (double) Math.max(1, r.loads())).toList(),
                        "peak charged MiB", runs.stream().map(r -> r.peakCharged() / (double) MIB).toList(),
                        "total seconds", runs.stream().map(Run::seconds).toList()), true);
        System.out.println("wrote " + file);
        return 0;
    }

    /** Loads the model once (measuring it) and runs one job on it, so every policy starts warm. */
    private void calibrate(SchedulerModels models, RegisteredModel model) throws Exception {
        System.gc();
        LoadResult loaded = model.load();
        try {
            models.job(model.name(), new SplittableRandom(seed)).run(loaded.model(), () -> false);
        } finally {
            loaded.model().close();
        }
    }

    private Run run(SchedulerModels models, String name, SchedulerConfig config, int jobCount) throws Exception {
        List<String> names = new ArrayList<>();
        models.weights().forEach((model, weight) -> {
            for (int i = 0; i < weight; i++) {
                names.add(model);
            }
        });
        SplittableRandom random = new SplittableRandom(seed);
        System.gc();
        long baseline = FootprintMeter.residentSetBytes();
        long offHeapBaseline = baseline - committedHeap();
        AtomicLong peakRss = new AtomicLong(baseline);
        AtomicLong peakOffHeap = new AtomicLong(offHeapBaseline);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                long rss = FootprintMeter.residentSetBytes();
                peakRss.accumulateAndGet(rss, Math::max);
                peakOffHeap.accumulateAndGet(rss - committedHeap(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        SchedulerStats stats;
        try (ModelScheduler scheduler = new ModelScheduler(models.registry(), config)) {
            List<TaskHandle<Integer>> handles = new ArrayList<>(jobCount);
            for (int i = 0; i < jobCount; i++) {
                String model = names.get(random.nextInt(names.size()));
                handles.add(scheduler.submit(model, 0, models.job(model, random)));
            }
            scheduler.start();
            for (TaskHandle<Integer> handle : handles) {
                handle.get(30, TimeUnit.MINUTES);
            }
            stats = scheduler.stats();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long growth = baseline < 0 ? -1 : peakRss.get() - baseline;
        long offHeapGrowth = baseline < 0 ? -1 : peakOffHeap.get() - offHeapBaseline;
        System.out.printf(Locale.ROOT, "%-9s %5d loads %5d unloads %8.2f s  peak charged %7.1f MiB  peak growth: RSS %7.1f MiB, "
                        + "off-heap %7.1f MiB%n", name, stats.totalLoads(), stats.totalUnloads(), seconds,
                stats.peakResidentBytes() / (double) MIB, growth / (double) MIB, offHeapGrowth / (double) MIB);
        return new Run(name, stats.totalLoads(), stats.totalUnloads(), seconds, stats.peakResidentBytes(), growth, offHeapGrowth, stats);
    }

    private static long committedHeap() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}

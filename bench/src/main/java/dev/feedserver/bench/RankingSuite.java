package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ranking} suite: {@link RankingBenchmark} in one JMH run, so every ratio compares
 * figures taken on the same machine at the same moment. Writes {@code ranking.json} (P50, P90,
 * P99 and min per path from JMH's sampled call times, and the speed-ups of our int8 path over
 * ONNX Runtime) and {@code ranking.png}.
 */
@Command(name = "ranking", mixinStandardHelpOptions = true,
        description = "JMH: feature assembly and int8 ranking of one request's candidates, against ONNX Runtime float and int8.")
public final class RankingSuite implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for ranking.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--candidates", defaultValue = "2400", description = "Candidates per request (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--quick", description = "Short iterations for a smoke run.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(output);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(RankingBenchmark.class.getName() + "\\.")
                .param("candidates", Integer.toString(candidates))
                .shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(1).measurementIterations(2)
                    .warmupTime(TimeValue.milliseconds(500)).measurementTime(TimeValue.milliseconds(500));
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        details.put("candidates", candidates).put("features", 5_229).put("model", "5,229 -> 256 -> 128 -> 4 heads (split first layer for the int8 paths)")
                .put("method", "JMH sample time, 1 thread, 1 fork, 3 x 2 s warm-up, 5 x 2 s measured; percentiles over every sampled call. "
                        + "ONNX Runtime runs with one intra-op thread on the same dense rows of one request; its models are our "
                        + "exporter's float graph (Gemm) and dynamic-quantization graph (MatMulInteger). Weights are freshly "
                        + "initialised: speed does not depend on them.");
        ObjectNode raw = details.putObject("jmh");
        List<String> names = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        Map<String, Double> p50 = new LinkedHashMap<>();
        for (RunResult result : new Runner(options.build()).run()) {
            String method = result.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            Statistics stats = result.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            raw.putObject(method).put("p50", median).put("p90", stats.getPercentile(90)).put("p99", stats.getPercentile(99))
                    .put("min", stats.getMin()).put("samples", stats.getN()).put("unit", result.getPrimaryResult().getScoreUnit());
            metrics.put(method + "_p50_us", new Metric(median, "us"));
            metrics.put(method + "_p99_us", new Metric(stats.getPercentile(99), "us"));
            names.add(method);
            p50s.add(median);
            p50.put(method, median);
            System.out.printf(Locale.ROOT, "%-22s p50 %10.1f us  p99 %10.1f us%n", method, median, stats.getPercentile(99));
        }
        double ours = p50.get("assembleAndRankInt8");
        metrics.put("speedup_vs_onnx_int8", new Metric(p50.get("onnxRuntimeInt8") / ours, "x"));
        metrics.put("speedup_vs_onnx_float", new Metric(p50.get("onnxRuntimeFloat") / ours, "x"));
        metrics.put("split_speedup_vs_dense_int8", new Metric(p50.get("denseInt8") / p50.get("rankInt8"), "x"));
        if (p50.containsKey("assembleAndRankInt8SortedCandidates")) {
            // Candidates in retrieval (random) order against ordered by item row, as the pipeline serves them.
            metrics.put("sorted_candidates_speedup", new Metric(ours / p50.get("assembleAndRankInt8SortedCandidates"), "x"));
        }
        Path file = output.resolve("ranking.json");
        ResultFile.write(file, "ranking", "./feedserver bench ranking", metrics, details);
        Charts.bars(output.resolve("ranking.png"),
                String.format(Locale.ROOT, "Ranking %,d candidates x 5,229 features, one core (JMH P50, log scale)", candidates),
                "microseconds per request", names, Map.of("P50 us", p50s), true);
        System.out.println("wrote " + file);
        return 0;
    }
}

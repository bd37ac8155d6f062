package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.nativelib.NativeKernels;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code kernels} suite: int8 peak, FFM downcall overhead and the kernel benchmarks, run
 * by JMH in one invocation so ratios compare figures measured side by side; writes
 * {@code kernels.json} (the brief's result format, medians with min/max) and plots.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Native kernel benchmarks: int8 peak, GEMM, MLP, downcall overhead.")
public final class KernelsSuite implements Callable<Integer> {

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for kernels.json and plots (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--quick", description = "Fewer and shorter iterations (a smoke run; noisier figures).")
    boolean quick;

    /** The ranker's three layer shapes (M x K x N) and a small one. */
    static final String[] RANKER_SHAPES = {"2400x4700x512", "2400x512x256", "2400x256x8"};
    static final String[] ALL_SHAPES = {"2400x4700x512", "2400x512x256", "2400x256x8", "64x256x64"};

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PeakBenchmark.class.getSimpleName())
                .include(DowncallBenchmark.class.getSimpleName())
                .include(DotKernelBenchmark.class.getSimpleName())
                .include(Int8GemmBenchmark.class.getSimpleName())
                .include(MlpBenchmark.class.getSimpleName())
                .shouldFailOnError(true)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED");
        if (quick) {
            options.warmupIterations(1).measurementIterations(3)
                    .warmupTime(TimeValue.milliseconds(300)).measurementTime(TimeValue.milliseconds(300));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        JmhFigures figures = new JmhFigures(results);

        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        long macsPerOp = PeakBenchmark.macsPerOp();
        JmhFigures.Figure peak = figures.get("registerOnlyInt8Loop");
        double peakGmacs = macsPerOp / (peak.median() / 1e3) / 1e9;
        metrics.put("int8_peak_gmacs_1t", new Metric(peakGmacs, "GMAC/s"));
        details.put("int8_peak_isa", NativeKernels.info().isa());
        details.put("int8_peak_gmacs_1t_min", macsPerOp / (peak.max() / 1e3) / 1e9);
        details.put("int8_peak_gmacs_1t_max", macsPerOp / (peak.min() / 1e3) / 1e9);

        metrics.put("downcall_overhead_ns", new Metric(figures.get("criticalOffHeap").median(), "ns"));
        metrics.put("downcall_plain_ns", new Metric(figures.get("plainOffHeap").median(), "ns"));
        metrics.put("downcall_critical_heap_ns", new Metric(figures.get("criticalHeap").median(), "ns"));
        metrics.put("downcall_checked_facade_ns", new Metric(figures.get("checkedFacade").median(), "ns"));

        double nativeScan = figures.get("nativeBatch").median();
        double javaScan = figures.get("javaLoop").median();
        metrics.put("dot_f32_16384x48_native_us", new Metric(nativeScan, "us"));
        metrics.put("dot_f32_16384x48_java_us", new Metric(javaScan, "us"));
        metrics.put("dot_f32_native_vs_java_speedup", new Metric(javaScan / nativeScan, "x"));

        gemmMetrics(figures, peakGmacs, metrics, details);
        JmhFigures.Figure mlp = figures.get("forward", "widths=1024-256-128-8");
        metrics.put("mlp_forward_2400_ms_1t", new Metric(mlp.median(), "ms"));
        details.put("mlp_forward_2400_ms_1t_min", mlp.min());
        details.put("mlp_forward_2400_ms_1t_max", mlp.max());
        metrics.put("mlp_forward_2400_ranker_shape_ms_1t", new Metric(figures.get("forward", "widths=4700-512-256-8").median(), "ms"));
        metrics.put("mlp_forward_2400_java_fallback_ms_1t", new Metric(figures.get("forwardJava", "widths=1024-256-128-8").median(), "ms"));

        ObjectNode raw = details.putObject("jmh");
        figures.all().forEach((key, f) -> raw.putObject(key).put("median", f.median()).put("min", f.min())
                .put("max", f.max()).put("unit", f.unit()));
        Path file = output.resolve("kernels.json");
        ResultFile.write(file, "kernels", "./feedserver bench kernels" + (quick ? " --quick" : ""), metrics, details);
        Charts.downcalls(output.resolve("kernels-downcall.png"), figures);
        gemmChart(output.resolve("kernels-gemm.png"), figures);
        System.out.println("wrote " + file);
        return 0;
    }

    /**
     * GEMM figures: per shape GMAC/s for each implementation, and over the ranker's three layers
     * together (total multiply-adds / total median time), the headline int8 rate, its efficiency
     * against the peak measured in the same run, and the speed-ups over float GEMM.
     */
    private static void gemmMetrics(JmhFigures figures, double peakGmacs, Map<String, Metric> metrics, ObjectNode details) {
        String[] implementations = {"int8", "int8TwoThreads", "f32Native", "f32Java"};
        double[] rankerMs = new double[implementations.length];
        double rankerMacs = 0;
        ObjectNode perShape = details.putObject("gemm_gmacs_by_shape");
        for (String shape : ALL_SHAPES) {
            double macs = macs(shape);
            boolean ranker = List.of(RANKER_SHAPES).contains(shape);
            if (ranker) {
                rankerMacs += macs;
            }
            ObjectNode row = perShape.putObject(shape);
            for (int i = 0; i < implementations.length; i++) {
                double ms = figures.get(implementations[i], "shape=" + shape).median();
                row.put(implementations[i], macs / (ms / 1e3) / 1e9);
                if (ranker) {
                    rankerMs[i] += ms;
                }
            }
        }
        double int8 = rankerMacs / (rankerMs[0] / 1e3) / 1e9;
        metrics.put("int8_gemm_gmacs_1t", new Metric(int8, "GMAC/s"));
        metrics.put("int8_gemm_efficiency_1t", new Metric(int8 / peakGmacs, "ratio"));
        metrics.put("int8_gemm_gmacs_2t", new Metric(rankerMacs / (rankerMs[1] / 1e3) / 1e9, "GMAC/s"));
        metrics.put("f32_gemm_gmacs_1t", new Metric(rankerMacs / (rankerMs[2] / 1e3) / 1e9, "GMAC/s"));
        metrics.put("int8_vs_f32_gemm_speedup", new Metric(rankerMs[2] / rankerMs[0], "x"));
        metrics.put("int8_vs_java_f32_gemm_speedup", new Metric(rankerMs[3] / rankerMs[0], "x"));
        details.put("ranker_layers", String.join(" + ", RANKER_SHAPES) + " (M x K x N); one pass = " + (long) rankerMacs + " multiply-adds");
    }

    private static double macs(String shape) {
        String[] d = shape.split("x");
        return Double.parseDouble(d[0]) * Double.parseDouble(d[1]) * Double.parseDouble(d[2]);
    }

    private static void gemmChart(Path file, JmhFigures figures) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String implementation : new String[] {"int8", "int8TwoThreads", "f32Native", "f32Java"}) {
            List<Double> values = new ArrayList<>();
            for (String shape : ALL_SHAPES) {
                values.add(macs(shape) / (figures.get(implementation, "shape=" + shape).median() / 1e3) / 1e9);
            }
            series.put(implementation, values);
        }
        Charts.bars(file, "GEMM throughput by shape (M x K x N)", "GMAC/s", List.of(ALL_SHAPES), series, true);
    }
}

package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.nativelib.NativeKernels;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
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

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PeakBenchmark.class.getSimpleName())
                .include(DowncallBenchmark.class.getSimpleName())
                .include(DotKernelBenchmark.class.getSimpleName())
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

        ObjectNode raw = details.putObject("jmh");
        figures.all().forEach((key, f) -> raw.putObject(key).put("median", f.median()).put("min", f.min())
                .put("max", f.max()).put("unit", f.unit()));
        Path file = output.resolve("kernels.json");
        ResultFile.write(file, "kernels", "./feedserver bench kernels" + (quick ? " --quick" : ""), metrics, details);
        Charts.downcalls(output.resolve("kernels-downcall.png"), figures);
        System.out.println("wrote " + file);
        return 0;
    }
}

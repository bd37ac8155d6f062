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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code stages} suite: JMH figures for each stage of a feed request ({@link StageBenchmark}:
 * user read, each candidate source, the whole pipeline, response encoding) over a synthetic
 * catalogue. Writes {@code stages.json} (median of the per-iteration means, min and max) and
 * {@code stages.png}.
 */
@Command(name = "stages", mixinStandardHelpOptions = true, description = "JMH: each stage of a feed request, one at a time.")
public final class StagesSuite implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for stages.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--items", defaultValue = "100000", description = "Catalogue size (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--dim", defaultValue = "32", description = "Vector dimension (default ${DEFAULT-VALUE}, the server's ALS default).")
    int dim;

    @Option(names = "--quick", description = "Short iterations for a smoke run.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(output);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(StageBenchmark.class.getName() + "\\.")
                .param("items", Integer.toString(items))
                .param("dim", Integer.toString(dim))
                .shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(1).measurementIterations(2)
                    .warmupTime(TimeValue.milliseconds(300)).measurementTime(TimeValue.milliseconds(300));
        }
        JmhFigures figures = new JmhFigures(new Runner(options.build()).run());
        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        details.put("items", items).put("dim", dim)
                .put("method", "JMH average time per call, 1 thread, 1 fork, 3 x 1 s warm-up, 5 x 1 s measured; the figure is the "
                        + "median of the per-iteration means with min and max in details.jmh. The model is RetrievalStage's: "
                        + "clustered synthetic vectors, 20,000 users with 60 consumed items, the production FeedConfig "
                        + "(interest index chosen by AUTO for the catalogue size).");
        ObjectNode raw = details.putObject("jmh");
        List<String> names = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        figures.all().forEach((key, f) -> {
            String method = key.substring(0, key.indexOf(' '));
            raw.putObject(key).put("median", f.median()).put("min", f.min()).put("max", f.max()).put("unit", f.unit());
            metrics.put(method + "_us", new Metric(f.median(), "us/op"));
            names.add(method);
            medians.add(f.median());
            System.out.printf(Locale.ROOT, "%-20s %10.2f us/op (min %.2f, max %.2f)%n", method, f.median(), f.min(), f.max());
        });
        Path file = output.resolve("stages.json");
        ResultFile.write(file, "stages", "./feedserver bench stages", metrics, details);
        Charts.bars(output.resolve("stages.png"),
                String.format(Locale.ROOT, "Feed request stages, %,d items x %d dims (JMH median, log scale)", items, dim),
                "microseconds per call", names, Map.of("us/op", medians), true);
        System.out.println("wrote " + file);
        return 0;
    }
}

package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.nativelib.Fp8Format;
import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.rank.FloatScorer;
import dev.feedserver.ranking.rank.Fp8Weights;
import dev.feedserver.ranking.rank.Int8Scorer;
import dev.feedserver.ranking.rank.NativeFloatScorer;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.ScorerTiming;
import dev.feedserver.ranking.rank.StaticInt8Scorer;
import dev.feedserver.ranking.rank.TrainingSet;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code feedserver model-eval}: the ranker's numeric forms side by side on the held-out
 * validation queries of the logged examples (the newest share, as the trainer holds out):
 * {@code float} (the reference), {@code int8} (serving's arithmetic, bit for bit), {@code fp8}
 * (FP8 E4M3 weights, float arithmetic: a storage format on this CPU) and, unless
 * {@code --no-int8-static}, {@code int8-static} (calibrated activation scales, a Java
 * reference). Per form: AUC per head, NDCG@10 of the clicked item among its query's candidates
 * by the click head and by the combined score, the rank correlation with float, and the median
 * time of one large batch on one thread. The model and the log are built as {@code train}
 * builds them; {@code --ranker FILE} evaluates that model on the same log instead of training.
 * Prints one JSON object on stdout; progress goes to stderr.
 */
@Command(name = "model-eval", mixinStandardHelpOptions = true,
        description = "Compare the ranker's float, int8, FP8-weight and static-int8 forms on held-out logged queries; print JSON.")
public final class ModelEvalCommand implements Callable<Integer> {
    private static final String FP8_NOTE = "FP8 is a storage format on this CPU (no FP8 arithmetic): weights are decoded "
            + "to float and the model runs in float, so its speed is the float path's";

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    RankerOptions ranking = new RankerOptions();

    @Option(names = "--output", description = "Also write the figures as a result file (bench/results format), e.g. bench/results/model-eval-movielens.json.")
    Path output;

    @Option(names = "--batch-rows", defaultValue = "2400", description = "Candidates in the timed batch (default ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--timing-runs", defaultValue = "30", description = "Timed runs per form; the median is reported (default ${DEFAULT-VALUE}).")
    int timingRuns;

    @Option(names = "--calibration-queries", defaultValue = "1000",
            description = "int8-static: newest training queries whose activations set the static scales (default ${DEFAULT-VALUE}).")
    int calibrationQueries;

    @Option(names = "--calibration-percentile", defaultValue = "99.99",
            description = "int8-static: percentile of |x| per layer input that maps to 127 (default ${DEFAULT-VALUE}).")
    double calibrationPercentile;

    @Option(names = "--int8-static", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also evaluate int8 with static calibrated activation scales (default ${DEFAULT-VALUE}).")
    boolean int8Static;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (batchRows < 1 || timingRuns < 1 || calibrationQueries < 1) {
            throw new IllegalArgumentException("--batch-rows, --timing-runs and --calibration-queries must be >= 1");
        }
        long start = System.nanoTime();
        Dataset dataset = Loading.dataset(model.dataset, model.world());
        RankedModels.Built built = RankedModels.buildForEvaluation(dataset, model.als(), model.feed(),
                model.userStore(dataset.userIds().size()), model.learning(), ranking);
        ObjectNode out;
        try (var live = built.model()) {
            out = evaluate(dataset, built);
        }
        out.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(out.toPrettyString());
        stdout.flush();
        if (output != null) {
            ResultFile.write(output, "model-eval-" + model.dataset.kind(),
                    "./feedserver " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), headline(out), out);
        }
        return 0;
    }

    private ObjectNode evaluate(Dataset dataset, RankedModels.Built built) {
        RankerModel ranker = built.ranker();
        TrainingSet set = built.examples().set();
        int queries = set.queries();
        int train = ranking.trainer().trainQueries(queries);
        if (train >= queries || train < 1) {
            throw new IllegalArgumentException("the log holds " + queries + " queries, too few to hold out validation queries; raise --ranker-queries");
        }
        ObjectiveWeights weights = ranking.weights() != null ? ranking.weights() : ranker.defaultWeights();
        ObjectNode out = Json.object();
        out.put("dataset", dataset.name());
        ObjectNode about = out.putObject("ranker");
        about.put("version", ranker.version());
        about.put("source", ranking.mode() == RankerOptions.Mode.FILE ? ranking.file().toString() : "trained here");
        about.put("feature_width", ranker.schema().width());
        about.putArray("hidden").add(ranker.hidden1()).add(ranker.hidden2());
        about.put("objective_weights", weights.toString());
        ObjectNode validation = out.putObject("validation");
        validation.put("queries", queries - train);
        validation.put("first_query", train);
        validation.put("logged_queries", queries);
        validation.put("share", ranking.trainer().validationShare());
        ObjectNode timing = out.putObject("timing");
        timing.put("batch_rows", batchRows);
        timing.put("runs", timingRuns);
        timing.put("threads", 1);
        timing.put("kernel_backend", KernelBackend.current().name().toLowerCase(java.util.Locale.ROOT));
        timing.put("cpu", ResultFile.cpuModel());

        ModelForms forms = new ModelForms(set, train, queries, weights, ScorerTiming.Batch.of(set, train, batchRows),
                Math.max(2, timingRuns / 5), timingRuns);
        ObjectNode formsNode = out.putObject("forms");
        ObjectNode deltas = out.putObject("deltas_vs_float");

        ObjectNode floatNode = formsNode.putObject("float");
        floatNode.put("arithmetic", "float32 weights and activations; Java split forward (FloatRanker's math, the trainer's validation pass)");
        ModelForms.Measured reference;
        double floatMicros;
        try (FloatScorer scorer = new FloatScorer("float", ranker, set)) {
            reference = forms.quality(scorer, floatNode, null);
            floatMicros = forms.time(scorer);
        }
        floatNode.put("batch_us", floatMicros);
        double nativeFloatMicros;
        try (NativeFloatScorer scorer = new NativeFloatScorer(ranker, set)) {
            nativeFloatMicros = forms.time(scorer);
        }
        floatNode.put("batch_us_native_f32", nativeFloatMicros);
        floatNode.put("weight_bytes_all_layers", 4L * ranker.denseMacs());
        floatNode.put("speed_note", "batch_us: the Java forward; batch_us_native_f32: the same network on the native float GEMM");

        ObjectNode int8Node = formsNode.putObject("int8");
        int8Node.put("arithmetic", "as served: int8 weights per output channel, dynamic per-row int8 activations, "
                + "float request and item parts added in layer 0 (one fn_mlp_forward_gather per request)");
        try (Int8Scorer scorer = new Int8Scorer(ranker, set)) {
            deltas.set("int8", ModelForms.delta(forms.quality(scorer, int8Node, reference).quality(), reference.quality()));
            int8Node.put("batch_us", forms.time(scorer));
            int8Node.put("weight_bytes_candidate_network", scorer.weightBytes());
        }

        ObjectNode fp8Node = formsNode.putObject("fp8");
        fp8Node.put("arithmetic", "FP8 E4M3 weights per output channel (scale absmax/448), decoded to float; float activations and arithmetic");
        RankerModel fp8 = Fp8Weights.roundTrip(ranker, Fp8Format.E4M3);
        try (FloatScorer scorer = new FloatScorer("fp8", fp8, set)) {
            deltas.set("fp8", ModelForms.delta(forms.quality(scorer, fp8Node, reference).quality(), reference.quality()));
        }
        fp8Node.put("batch_us", floatMicros);
        fp8Node.put("batch_us_native_f32", nativeFloatMicros);
        fp8Node.put("weight_bytes_all_layers", Fp8Weights.storageBytes(ranker));
        fp8Node.put("speed_note", FP8_NOTE);

        if (int8Static) {
            int calibrationFrom = Math.max(0, train - calibrationQueries);
            ObjectNode staticNode = formsNode.putObject("int8-static");
            staticNode.put("arithmetic", "int8 weights per output channel, one static int8 scale per layer input (the "
                    + calibrationPercentile + "th percentile of |x| on " + (train - calibrationFrom)
                    + " calibration training queries); Java reference, not a serving path");
            try (StaticInt8Scorer scorer = new StaticInt8Scorer(ranker, set, calibrationFrom, train, calibrationPercentile)) {
                var scales = staticNode.putArray("activation_scales");
                for (float s : scorer.inputScales()) {
                    scales.add(s);
                }
                deltas.set("int8-static", ModelForms.delta(forms.quality(scorer, staticNode, reference).quality(), reference.quality()));
                staticNode.put("batch_us", forms.time(scorer));
            }
            staticNode.put("speed_note", "a plain Java integer loop: its speed says nothing about a native static-int8 kernel");
        }
        out.putArray("notes").add(FP8_NOTE);
        return out;
    }

    /** Flat metric names for the result file: int8_auc_click, fp8_ndcg@10_combined, int8_batch_us... */
    private static Map<String, ResultFile.Metric> headline(ObjectNode out) {
        Map<String, ResultFile.Metric> metrics = new LinkedHashMap<>();
        out.get("forms").properties().forEach(form -> {
            String name = form.getKey();
            var node = form.getValue();
            for (Objective o : Objective.values()) {
                metrics.put(name + "_auc_" + o.wireName(), new ResultFile.Metric(node.get("auc").get(o.wireName()).asDouble(), "ratio"));
            }
            for (String key : new String[] {"ndcg@10_click", "ndcg@10_combined"}) {
                metrics.put(name + "_" + key, new ResultFile.Metric(node.get(key).asDouble(), "ratio"));
            }
            metrics.put(name + "_batch_us", new ResultFile.Metric(node.get("batch_us").asDouble(), "us"));
        });
        metrics.put("float_batch_us_native_f32", new ResultFile.Metric(out.get("forms").get("float").get("batch_us_native_f32").asDouble(), "us"));
        out.get("deltas_vs_float").properties().forEach(form -> {
            var node = form.getValue();
            for (Objective o : Objective.values()) {
                metrics.put(form.getKey() + "_auc_delta_" + o.wireName(),
                        new ResultFile.Metric(node.get("auc").get(o.wireName()).asDouble(), "ratio"));
            }
            metrics.put(form.getKey() + "_ndcg@10_combined_relative_delta",
                    new ResultFile.Metric(node.get("ndcg@10_combined_relative").asDouble(), "ratio"));
        });
        return metrics;
    }
}

package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.rank.QuantizedModelFile;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.ranking.rank.StaticInt8Scorer;
import dev.feedserver.ranking.rank.TrainingSet;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code feedserver quantize}: turns a float ranker model file into a quantized one
 * ({@link QuantizedModelFile}): int8 weights per output channel (the rule the native MLP uses),
 * or FP8 E4M3 with {@code --fp8}; with {@code --calibrate}, also one static activation scale per
 * layer input, calibrated on the newest logged training queries of the dataset the model was
 * trained on (built as {@code train} builds it). {@code serve --ranker FILE} and
 * {@code POST /v1/admin/ranker} load the result like a float model file. Prints a JSON summary.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a ranker model file to int8 (or FP8) weights, optionally with calibrated activation scales.")
public final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    RankerOptions ranking = new RankerOptions();

    @Option(names = "--model", required = true, description = "Float model file (from 'feedserver train').")
    Path input;

    @Option(names = "--output", required = true, description = "Quantized model file to write (e.g. models/ranker.fsq).")
    Path output;

    @Option(names = "--fp8", description = "Store FP8 E4M3 weights instead of int8 (a storage format on CPUs without FP8 arithmetic).")
    boolean fp8;

    @Option(names = "--calibrate", description = "Calibrate static activation scales on logged queries of the dataset (--dataset etc.).")
    boolean calibrate;

    @Option(names = "--calibration-queries", defaultValue = "1000", description = "Logged queries to calibrate on (default ${DEFAULT-VALUE}).")
    int calibrationQueries;

    @Option(names = "--calibration-percentile", defaultValue = "99.99",
            description = "Percentile of |activation| that maps to the int8 range (default ${DEFAULT-VALUE}).")
    double calibrationPercentile;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --model: " + input + ": no such file");
        }
        RankerModelFile.Loaded loaded;
        try {
            loaded = RankerModelFile.read(input);
        } catch (IllegalArgumentException | IOException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --model: " + e.getMessage());
        }
        RankerModel ranker = loaded.model();
        float[] scales = null;
        if (calibrate) {
            ranking.ranker = input.toString();
            Dataset dataset = Loading.dataset(model.dataset, model.world());
            RankedModels.Built built = RankedModels.buildForEvaluation(dataset, model.als(), model.feed(),
                    model.userStore(dataset.userIds().size()), model.learning(), ranking);
            try (var live = built.model()) {
                TrainingSet set = built.examples().set();
                int train = ranking.trainer().trainQueries(set.queries());
                int from = Math.max(0, train - calibrationQueries);
                if (train - from < 1) {
                    throw new ParameterException(spec.commandLine(), "the log holds too few queries to calibrate on; raise --ranker-queries");
                }
                try (StaticInt8Scorer scorer = new StaticInt8Scorer(ranker, set, from, train, calibrationPercentile)) {
                    scales = scorer.inputScales();
                }
            }
        }
        QuantizedModelFile.WeightFormat format = fp8 ? QuantizedModelFile.WeightFormat.FP8_E4M3 : QuantizedModelFile.WeightFormat.INT8;
        Map<String, String> metadata = new LinkedHashMap<>(loaded.metadata());
        metadata.put("quantized_from", input.getFileName().toString());
        QuantizedModelFile.write(ranker, format, scales, metadata, output);

        QuantizedModelFile.Loaded back = QuantizedModelFile.read(output);
        ObjectNode out = Json.object();
        out.put("model", output.toAbsolutePath().toString());
        out.put("version", ranker.version());
        out.put("weight_format", format.name().toLowerCase(java.util.Locale.ROOT));
        out.put("float_file_bytes", Files.size(input));
        out.put("quantized_file_bytes", Files.size(output));
        ArrayNode errors = out.putArray("max_relative_weight_error_per_layer");
        List<QuantizedMlp.Layer> original = ranker.denseLayers();
        List<QuantizedMlp.Layer> decoded = back.model().denseLayers();
        for (int l = 0; l < original.size(); l++) {
            float[] a = original.get(l).weights();
            float[] b = decoded.get(l).weights();
            double max = 0;
            double absmax = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
                absmax = Math.max(absmax, Math.abs(a[i]));
            }
            errors.add(absmax == 0 ? 0 : max / absmax);
        }
        if (scales != null) {
            ArrayNode s = out.putArray("activation_scales");
            for (float v : scales) {
                s.add(v);
            }
        }
        spec.commandLine().getOut().println(out.toString());
        spec.commandLine().getOut().flush();
        return 0;
    }
}

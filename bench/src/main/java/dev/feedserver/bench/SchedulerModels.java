package dev.feedserver.bench;

import dev.feedserver.generation.models.OnnxModel;
import dev.feedserver.generation.models.SpeechModel;
import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.scheduler.StageTask;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import dev.feedserver.onnx.text.MiniLmTextEncoder;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.RankerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real models of the {@code scheduler} suite and one small job for each: MiniLM encodes a
 * sentence, FreeTTS speaks a short phrase, and four ranker MLPs (the serving shape 5,229 -> 256
 * -> 128 -> 4 heads and a wide 5,229 -> 2,048 -> 512 -> 4, each exported float and int8 by our
 * ONNX exporter, run by ONNX Runtime) score a batch of 32 rows. Weights are freshly
 * initialised: footprint and speed do not depend on their values. Not thread-safe; build once.
 */
final class SchedulerModels {

    static final int RANKER_ROWS = 32;
    private static final List<String> SENTENCES = List.of("a quiet harbour town at dawn", "ten tips for a faster laptop",
            "the history of the bicycle", "how volcanoes shape islands", "a recipe for lemon bread");

    /** Registered names, in the order of {@link #weights()}. */
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private final ModelRegistry registry = new ModelRegistry();
    private final int featureWidth;

    SchedulerModels(Path dir) throws IOException {
        StandardModels.registerDefaults(registry);
        weights.put(StandardModels.MINILM, 6);
        weights.put(StandardModels.SPEECH, 1);
        FeatureSchema schema = FeatureSchema.standard(32, 384, 32);
        featureWidth = schema.width();
        exportRanker(dir, schema, "ranker", RankerModel.DEFAULT_HIDDEN1, RankerModel.DEFAULT_HIDDEN2, 4);
        exportRanker(dir, schema, "ranker-wide", 2048, 512, 2);
    }

    private void exportRanker(Path dir, FeatureSchema schema, String name, int hidden1, int hidden2, int weight) throws IOException {
        RankerModel model = RankerModel.initialise(schema, hidden1, hidden2, 7, name);
        MlpExportInfo info = MlpExportInfo.of("feedserver-bench", 1);
        int[] outputs = {RankerModel.OUTPUT_LAYER};
        Path floatFile = dir.resolve(name + "-float.onnx");
        Path int8File = dir.resolve(name + "-int8.onnx");
        Files.write(floatFile, OnnxMlpExporter.exportFloat(model.denseLayers(), outputs, info));
        Files.write(int8File, OnnxMlpExporter.exportInt8(model.denseLayers(), outputs, info));
        StandardModels.registerOnnx(registry, name + "-float", floatFile, 2, 1, false);
        StandardModels.registerOnnx(registry, name + "-int8", int8File, 2, 1, false);
        weights.put(name + "-float", weight);
        weights.put(name + "-int8", weight);
    }

    ModelRegistry registry() {
        return registry;
    }

    /** Model name to its share of the jobs (relative weight). */
    Map<String, Integer> weights() {
        return weights;
    }

    List<RegisteredModel> models() {
        return weights.keySet().stream().map(registry::get).toList();
    }

    /** One small job on {@code model}, its input drawn from {@code random}. */
    StageTask<Integer> job(String model, SplittableRandom random) {
        String sentence = SENTENCES.get(random.nextInt(SENTENCES.size()));
        if (model.equals(StandardModels.MINILM)) {
            return (loaded, context) -> loaded.as(MiniLmTextEncoder.class).encode(List.of(sentence))[0].length;
        }
        if (model.equals(StandardModels.SPEECH)) {
            String phrase = sentence.substring(0, sentence.indexOf(' ', 8));
            return (loaded, context) -> loaded.as(SpeechModel.class).synthesize(phrase).length;
        }
        long inputSeed = random.nextLong();
        return (loaded, context) -> scoreBatch(loaded, inputSeed);
    }

    /** Builds the batch when the job runs, so a queue of a thousand jobs does not hold their inputs. */
    private int scoreBatch(LoadedModel loaded, long inputSeed) {
        SplittableRandom random = new SplittableRandom(inputSeed);
        float[][] rows = new float[RANKER_ROWS][featureWidth];
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i += 7) {
                row[i] = (float) random.nextDouble();
            }
        }
        return loaded.as(OnnxModel.class).run(rows).length;
    }
}

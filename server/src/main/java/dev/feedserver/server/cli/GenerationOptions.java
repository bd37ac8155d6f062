package dev.feedserver.server.cli;

import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.server.generate.GenerationPrice;
import dev.feedserver.server.generate.GenerationRuntime;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.text.WeightMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code serve} flags of the generation runtime: the memory budget and the optional text
 * model, turned into the model registry. Used once, on the main thread.
 */
final class GenerationOptions {
    /** The registry name of the model given with {@code --text-model}. */
    static final String TEXT_MODEL = "text";
    /** The registry name of the model given with {@code --cover-model}. */
    static final String COVER_MODEL = "cover-onnx";

    @Option(names = "--generation-memory-budget", defaultValue = "24g", converter = ByteSize.class,
            description = "Most memory the generation models may hold at once, e.g. 24g or 512m (default ${DEFAULT-VALUE}).")
    long memoryBudget;

    @Option(names = "--text-model", paramLabel = "FILE",
            description = "A llama2.c checkpoint to register as the text model, e.g. ../shared/models/stories260K/stories260K.bin (default: none).")
    Path textModel;

    @Option(names = "--text-tokenizer", paramLabel = "FILE",
            description = "Its tokenizer (default: tok512.bin, then tokenizer.bin, beside the checkpoint).")
    Path textTokenizer;

    @Option(names = "--text-weights", defaultValue = "int8", description = "Text model weights: int8 (group-wise, quantized at load) or float (default ${DEFAULT-VALUE}).")
    String textWeights;

    @Option(names = "--text-concurrency", defaultValue = "2", description = "Generations one loaded text model runs at once (default ${DEFAULT-VALUE}).")
    int textConcurrency;

    @Option(names = "--cover-model", paramLabel = "FILE",
            description = "An ONNX image model to draw the covers instead of the built-in Java2D renderer: one float vector in "
                    + "(a hashed bag of words of the title, topic and tags), 3*S*S values in [0,1] out (S x S RGB); runs on "
                    + "CUDA when this ONNX Runtime has it (default: none).")
    Path coverModel;

    @Option(names = "--generation-dir", paramLabel = "DIR",
            description = "Where generation jobs and their outputs are kept (default: <data-dir>/generation).")
    Path generationDir;

    @Option(names = "--generation-price-per-hour", defaultValue = "0.0425",
            description = "USD per device-hour that turns a stage's busy time into cost (default ${DEFAULT-VALUE}: one vCPU of an AWS c6i.large on demand, see bench prices.json).")
    double pricePerHour;

    @Option(names = "--generation-max-active", defaultValue = "16",
            description = "Most unfinished generation jobs; more are answered 503 (default ${DEFAULT-VALUE}).")
    int maxActive;

    @Option(names = "--generation-retention", defaultValue = "P30D",
            description = "Finished generation jobs (record and outputs) are deleted this long after they end (default ${DEFAULT-VALUE}).")
    java.time.Duration retention;

    @Option(names = "--supply-jobs-per-hour", defaultValue = "6",
            description = "Most jobs the supply planner files in any hour for engaged clusters short of fresh content; 0 turns it off (default ${DEFAULT-VALUE}).")
    int supplyJobsPerHour;

    @Option(names = "--supply-interval", defaultValue = "PT1M",
            description = "How often the supply planner looks at the clusters (default ${DEFAULT-VALUE}).")
    java.time.Duration supplyInterval;

    @Option(names = "--supply-format", defaultValue = "narrated",
            description = "What the supply planner's jobs make: story, narrated or video (default ${DEFAULT-VALUE}).")
    String supplyFormat;

    /** The jobs' settings; the directory defaults to {@code <dataDir>/generation}. */
    GenerationRuntime.Settings settings(Path dataDir) {
        return new GenerationRuntime.Settings(generationDir != null ? generationDir : dataDir.resolve("generation"),
                TEXT_MODEL, coverModel != null ? COVER_MODEL : StandardModels.COVER, new GenerationPrice(pricePerHour), maxActive,
                retention, supplyJobsPerHour, supplyInterval,
                ContentFormat.parse(supplyFormat));
    }

    /** Whether a text model was given, without which no generation job can run. */
    boolean hasTextModel() {
        return textModel != null;
    }

    /** The registry: MiniLM, FreeTTS, the cover renderer and the video composer always, the text model when one is given. */
    ModelRegistry registry() {
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerDefaults(registry);
        if (textModel != null) {
            StandardModels.registerText(registry, TEXT_MODEL, existing(textModel, "--text-model"), tokenizer(), weightMode(),
                    textConcurrency);
        }
        if (coverModel != null) {
            StandardModels.registerOnnxImage(registry, COVER_MODEL, existing(coverModel, "--cover-model"), 2, 1, true);
        }
        return registry;
    }

    private WeightMode weightMode() {
        return switch (textWeights.toLowerCase(Locale.ROOT)) {
            case "int8" -> WeightMode.INT8;
            case "float", "float32", "f32" -> WeightMode.FLOAT32;
            default -> throw new IllegalArgumentException("--text-weights must be int8 or float, got '" + textWeights + "'");
        };
    }

    private Path tokenizer() {
        if (textTokenizer != null) {
            return existing(textTokenizer, "--text-tokenizer");
        }
        Path dir = textModel.toAbsolutePath().getParent();
        for (String name : new String[] {"tok512.bin", "tokenizer.bin"}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new IllegalArgumentException("--text-model " + textModel + " has no tok512.bin or tokenizer.bin beside it; give --text-tokenizer");
    }

    private static Path existing(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not a readable file");
        }
        return file;
    }
}

package dev.feedserver.server.cli;

import dev.feedserver.ranking.rank.ExampleCollector;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerTrainer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options for the ranker and the content encoder, shared by {@code serve}, {@code eval},
 * {@code train} and {@code model-eval}. {@code --ranker} is {@code train} (train at start-up,
 * cached under the data directory), {@code none} (the built-in formula) or the path of a model
 * file written by {@code feedserver train}.
 */
public final class RankerOptions {
    /** How the feed is ranked. */
    enum Mode { TRAIN, NONE, FILE }

    @Option(names = "--ranker", defaultValue = "train", paramLabel = "train|none|FILE",
            description = "Rank with a model trained at start-up (train, cached in the data directory), the built-in formula (none), or a model file from 'feedserver train' (default ${DEFAULT-VALUE}).")
    String ranker;

    @Option(names = "--content-encoder", defaultValue = "minilm", paramLabel = "minilm|hashing|none",
            description = "Content embeddings of item text: the int8 MiniLM ONNX model, a model-free word-hashing encoder, or none (default ${DEFAULT-VALUE}).")
    String contentEncoder;

    @Option(names = "--objective-weights", paramLabel = "SPEC",
            description = "How head probabilities combine into the score, e.g. click:1,like:0.5,long_dwell:0.25,negative:-1 (default: the model's own).")
    String objectiveWeights;

    @Option(names = "--ranker-queries", defaultValue = "3000",
            description = "Most logged moments to train the ranker on (default ${DEFAULT-VALUE}).")
    int rankerQueries;

    @Option(names = "--ranker-negatives", defaultValue = "15",
            description = "Unclicked candidates logged per moment (default ${DEFAULT-VALUE}).")
    int rankerNegatives;

    @Option(names = "--ranker-epochs", defaultValue = "3", description = "Ranker training epochs (default ${DEFAULT-VALUE}).")
    int rankerEpochs;

    @Option(names = "--ranker-hidden", defaultValue = "256,128", split = ",",
            description = "Widths of the ranker's two shared hidden layers (default ${DEFAULT-VALUE}).")
    int[] rankerHidden;

    @Option(names = "--online-calibration", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Learn the serving ranker's per-head calibration online from impressions joined with later events, "
                    + "guarded by a holdout with automatic rollback (default ${DEFAULT-VALUE}; --no-online-calibration serves the model as trained).")
    boolean onlineCalibration;

    @Option(names = "--online-calibration-rate", defaultValue = "0.01",
            description = "SGD learning rate of the online calibration, in (0, 1] (default ${DEFAULT-VALUE}).")
    float onlineCalibrationRate;

    /** The online calibration's settings (validated). */
    dev.feedserver.ranking.rank.OnlineCalibrationConfig calibration() {
        return dev.feedserver.ranking.rank.OnlineCalibrationConfig.DEFAULT.withEnabled(onlineCalibration)
                .withLearningRate(onlineCalibrationRate);
    }

    Mode mode() {
        return switch (ranker) {
            case "train" -> Mode.TRAIN;
            case "none" -> Mode.NONE;
            default -> Mode.FILE;
        };
    }

    Path file() {
        return Path.of(ranker);
    }

    /** The weights requests get unless they override them; null = each model's own. */
    ObjectiveWeights weights() {
        return objectiveWeights == null ? null : ObjectiveWeights.DEFAULT.with(objectiveWeights);
    }

    ExampleCollector.Config collector() {
        return new ExampleCollector.Config(rankerNegatives, rankerQueries, 11);
    }

    RankerTrainer.Config trainer() {
        if (rankerHidden.length != 2) {
            throw new IllegalArgumentException("--ranker-hidden needs two widths, e.g. 256,128");
        }
        return RankerTrainer.Config.DEFAULT.withEpochs(rankerEpochs).withHidden(rankerHidden[0], rankerHidden[1]);
    }
}

package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.ranking.rank.RankerTrainer;
import dev.feedserver.server.http.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code feedserver train}: builds the live model exactly as {@code serve} does for the same
 * dataset and settings (ALS on the older history, the newer replayed as events while ranking
 * examples are logged), trains the multi-objective ranker on those examples with a held-out
 * validation report, and writes a versioned model file that {@code serve --ranker FILE} or
 * {@code POST /v1/admin/ranker} loads. Prints the training report as JSON on stdout; progress
 * goes to stderr.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the multi-objective ranker on logged examples and write a model file.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    RankerOptions ranking = new RankerOptions();

    @Option(names = "--output", required = true, description = "Model file to write (e.g. models/ranker.fsrank).")
    Path output;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Dataset dataset = Loading.dataset(model.dataset, model.world());
        RankedModels.Built built = RankedModels.build(dataset, dataset.interactions(), model.als(), model.feed(),
                model.userStore(dataset.userIds().size()), model.learning(), ranking, null, true, true);
        try (var live = built.model()) {
            RankerModelFile.write(built.ranker(), built.metadata(), output);
        }
        ObjectNode out = Json.object();
        out.put("model", output.toAbsolutePath().toString());
        out.put("version", built.ranker().version());
        out.put("feature_schema", built.ranker().schema().id());
        out.put("feature_width", built.ranker().schema().width());
        out.put("queries", built.examples().set().queries());
        out.put("examples", built.examples().set().examples());
        out.put("candidate_recall_at_logging", built.examples().candidateRecall());
        RankerTrainer.Result result = built.training();
        out.put("train_queries", result.trainQueries());
        out.put("validation_queries", result.validationQueries());
        out.put("best_epoch", result.bestEpoch());
        ArrayNode epochs = out.putArray("epochs");
        for (RankerTrainer.Epoch epoch : result.epochs()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", epoch.epoch());
            e.put("train_loss", epoch.trainLoss());
            e.put("validation_loss", epoch.validationLoss());
            ObjectNode auc = e.putObject("validation_auc");
            for (Objective o : Objective.values()) {
                auc.put(o.wireName(), epoch.validationAuc()[o.ordinal()]);
            }
            e.put("seconds", epoch.seconds());
        }
        ObjectNode positives = out.putObject("validation_positives");
        for (Objective o : Objective.values()) {
            positives.put(o.wireName(), result.validationPositives()[o.ordinal()]);
        }
        out.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        System.out.println(out.toPrettyString());
        return 0;
    }
}

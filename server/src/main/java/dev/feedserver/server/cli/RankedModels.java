package dev.feedserver.server.cli;

import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.TextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.eval.TemporalSplit;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.rank.ExampleCollector;
import dev.feedserver.ranking.rank.FeatureAssembler;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.ranking.rank.RankerTrainer;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a live model the way the ranker needs it, for {@code serve}, {@code train},
 * {@code eval} and {@code model-eval}: ALS on each user's older 80% of the history, content embeddings for every item,
 * then the newer 20% replayed as live events (so the model has learned it online, exactly as it
 * would have in production) while the moments before each interaction are logged as ranking
 * examples; then a ranker trained on them, or loaded from a file and checked against the model's
 * feature schema. The ranker only ever meets the latent space it was trained in.
 *
 * <p>Runs on the calling thread with progress bars; not thread-safe.
 */
final class RankedModels {
    private static final Logger LOG = LoggerFactory.getLogger(RankedModels.class);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    /** The built model, its ranker (null for none), and what the build saw. */
    record Built(FeedModel model, RankerModel ranker, Map<String, String> metadata, ExampleCollector.Outcome examples,
                 RankerTrainer.Result training) {
    }

    private RankedModels() {
    }

    /**
     * Builds the model from {@code history} (rows index {@code dataset}).
     *
     * @param cacheDir where {@code --ranker train} keeps trained models keyed by what they were
     *                 trained from (null: never cached)
     * @param train    when true a ranker is trained even in {@code none} mode (the train command)
     */
    static Built build(Dataset dataset, Interactions history, AlsConfig als, FeedConfig feed, UserStoreConfig userStore,
                       LearningConfig learning, RankerOptions options, Path cacheDir, boolean includeColdItems, boolean train) {
        return build(dataset, history, als, feed, userStore, learning, options, cacheDir, includeColdItems, train, false);
    }

    /**
     * For {@code model-eval}: as {@code train} builds (a ranker trained here, never cached), except
     * that with {@code --ranker FILE} that model is loaded and the examples are still logged, so
     * it can be evaluated on the held-out queries of the same log.
     */
    static Built buildForEvaluation(Dataset dataset, AlsConfig als, FeedConfig feed, UserStoreConfig userStore,
                                    LearningConfig learning, RankerOptions options) {
        return build(dataset, dataset.interactions(), als, feed, userStore, learning, options, null, true, true, true);
    }

    private static Built build(Dataset dataset, Interactions history, AlsConfig als, FeedConfig feed, UserStoreConfig userStore,
                               LearningConfig learning, RankerOptions options, Path cacheDir, boolean includeColdItems,
                               boolean train, boolean evaluate) {
        Dataset view = new Dataset(dataset.name(), dataset.userIds(), dataset.items(), history);
        TemporalSplit inner = TemporalSplit.of(view);
        LOG.info("ranker data: ALS on {} older interactions, {} newer ones replayed as live events", inner.train().size(),
                inner.replayOrder().size());
        Factors factors = Loading.train(dataset, inner.train(), als);
        FeedModel model = ModelTrainer.build(dataset, inner.train(), factors, feed, userStore, includeColdItems);
        TextEncoder encoder = ContentEncoders.open(options.contentEncoder);
        ItemContent content = new ItemContent(encoder);
        model.useContent(content);
        if (encoder != null) {
            int[] rows = new int[model.catalog().size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            long start = System.nanoTime();
            try (Progress progress = Progress.start("embed items (" + encoder.name() + ")", rows.length)) {
                content.embed(model.catalog(), rows, progress::stepTo);
            }
            LOG.info("content: embedded {} items with {} in {} ms", rows.length, encoder.name(), (System.nanoTime() - start) / 1_000_000);
        }
        FeatureSchema schema = FeatureSchema.standard(factors.dim(), content.dimension(), model.clusters().clusters());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("dataset", dataset.name());
        metadata.put("history_interactions", Integer.toString(history.size()));
        metadata.put("als", als.toString());
        metadata.put("content_encoder", content.encoderName());
        metadata.put("feature_schema", schema.id());
        metadata.put("feature_width", Integer.toString(schema.width()));

        RankerOptions.Mode mode = options.mode();
        boolean wantTrained = train || mode == RankerOptions.Mode.TRAIN;
        RankerModel ranker = null;
        Path cached = null;
        if (mode == RankerOptions.Mode.FILE && (!train || evaluate)) {
            ranker = load(options.file(), schema);
        } else if (wantTrained && cacheDir != null) {
            cached = cacheDir.resolve("ranker-" + fingerprint(metadata, options) + ".fsrank");
            if (Files.isRegularFile(cached)) {
                try {
                    ranker = load(cached, schema);
                    LOG.info("ranker: reusing {} (trained earlier from the same data and settings)", cached);
                } catch (IllegalArgumentException e) {
                    LOG.warn("ranker: cached model {} is unusable ({}); training a new one", cached, e.getMessage());
                }
            }
        }
        boolean trainHere = wantTrained && ranker == null;
        boolean collect = trainHere || evaluate;
        // Seeded: the same data and settings log the same examples and so train the same ranker.
        FeedPipeline pipeline = new FeedPipeline(model, feed, null, null, EvalCommand.SAMPLING_SEED);
        InteractionApplier applier = new InteractionApplier(model, learning);
        FeatureAssembler assembler = new FeatureAssembler(schema, model);
        ExampleCollector.Config collector = collect ? options.collector()
                : new ExampleCollector.Config(options.collector().negatives(), 0, 11);
        ExampleCollector.Outcome outcome;
        long start = System.nanoTime();
        try (Progress progress = Progress.start(collect ? "replay and log examples" : "replay newer history", inner.replayOrder().size())) {
            outcome = ExampleCollector.collect(dataset, inner.replayOrder(), model, pipeline, applier, assembler, collector,
                    progress::stepTo);
        }
        LOG.info("replayed {} events in {} ms; logged {} ranking queries ({} examples); the interacted item was among the candidates at {} of {} sampled moments ({})",
                outcome.events(), (System.nanoTime() - start) / 1_000_000, outcome.set().queries(), outcome.set().examples(),
                outcome.retrievedPositive(), outcome.sampled(), String.format(Locale.ROOT, "%.3f", outcome.candidateRecall()));
        RankerTrainer.Result result = null;
        if (trainHere) {
            String version = "ranker-" + LocalDateTime.now(ZoneOffset.UTC).format(VERSION_TIME);
            RankerTrainer.Config config = options.trainer();
            int epochs = config.epochs();
            try (Progress progress = Progress.start("train ranker (" + epochs + " epochs)", (long) epochs * outcome.set().queries())) {
                int trainQueries = (int) Math.ceil(outcome.set().queries() * (1 - config.validationShare()));
                result = new RankerTrainer(config).train(outcome.set(), version,
                        (epoch, done, total) -> progress.stepTo((long) (epoch - 1) * outcome.set().queries() + done * (long) outcome.set().queries() / Math.max(1, trainQueries)));
            }
            ranker = result.model();
            metadata.putAll(report(result));
            for (RankerTrainer.Epoch epoch : result.epochs()) {
                LOG.info("ranker epoch {}: train loss {}, validation loss {}, validation AUC click {} like {} long_dwell {} negative {} ({} s)",
                        epoch.epoch(), fmt(epoch.trainLoss()), fmt(epoch.validationLoss()), fmt(epoch.validationAuc()[0]),
                        fmt(epoch.validationAuc()[1]), fmt(epoch.validationAuc()[2]), fmt(epoch.validationAuc()[3]), fmt(epoch.seconds()));
            }
            if (cached != null) {
                try {
                    RankerModelFile.write(ranker, metadata, cached);
                    LOG.info("ranker: {} saved to {}", ranker.version(), cached);
                } catch (IOException e) {
                    LOG.warn("ranker: could not cache the model in {}: {}", cached, e.getMessage());
                }
            }
        }
        return new Built(model, ranker, metadata, outcome, result);
    }

    /** Loads a model file and checks it was trained on this model's feature layout. */
    static RankerModel load(Path file, FeatureSchema expected) {
        RankerModelFile.Loaded loaded;
        try {
            loaded = RankerModelFile.readAny(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading ranker model " + file, e);
        }
        if (!loaded.model().schema().equals(expected)) {
            throw new IllegalArgumentException("ranker model " + file + " was trained for features " + loaded.model().schema().id()
                    + " but this model has " + expected.id() + " (different factors, content encoder or clusters)");
        }
        return loaded.model();
    }

    /** The training report as model-file metadata. */
    static Map<String, String> report(RankerTrainer.Result result) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("train_queries", Integer.toString(result.trainQueries()));
        out.put("validation_queries", Integer.toString(result.validationQueries()));
        out.put("best_epoch", Integer.toString(result.bestEpoch()));
        for (Objective o : Objective.values()) {
            out.put("validation_auc_" + o.wireName(), fmt(result.validationAuc()[o.ordinal()]));
        }
        return out;
    }

    private static String fingerprint(Map<String, String> metadata, RankerOptions options) {
        String key = metadata + "|" + options.collector() + "|" + options.trainer() + "|v1";
        return Integer.toHexString(key.hashCode()) + Integer.toHexString(new StringBuilder(key).reverse().toString().hashCode());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}

package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.eval.FeedRecommender;
import dev.feedserver.ranking.eval.OfflineEvaluator;
import dev.feedserver.ranking.eval.PopularityRecommender;
import dev.feedserver.ranking.eval.ReplayEvaluator;
import dev.feedserver.ranking.eval.TemporalSplit;
import dev.feedserver.ranking.eval.TrainMatrix;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.feed.RerankConfig;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.rank.FloatRanker;
import dev.feedserver.ranking.rank.Int8Ranker;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.RankerRegistry;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code feedserver eval}: the brief's offline protocol (temporal 80/20 split per user, full
 * catalogue ranking, Recall/NDCG at 10/20/50) for the project's recommender and three baselines
 * (popularity, item-kNN, EASE), and with {@code --replay} the online replay hit rate with
 * real-time updates on and off. Prints one JSON object on stdout; progress goes to stderr.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate the recommender offline (and with --replay, online) and print JSON.")
public final class EvalCommand implements Callable<Integer> {
    /** Large enough that the consumed filter never forgets a training item during evaluation. */
    private static final int EVAL_CONSUMED_PER_USER = 1_000_000;
    private static final int REPLAY_FEED_SIZE = 20;
    /** Cluster sampling seed of every pipeline here, so a rerun gives the same figures. */
    static final long SAMPLING_SEED = 17;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    BaselineOptions baselines = new BaselineOptions();

    @Mixin
    RankerOptions ranking = new RankerOptions();

    @Option(names = "--replay", description = "Also run the online replay (updates on and off).")
    boolean replay;

    @Option(names = "--output", description = "Also write the figures as a result file (bench/results format), e.g. bench/results/eval-movielens.json.")
    java.nio.file.Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Dataset dataset = Loading.dataset(model.dataset, model.world());
        TemporalSplit split = TemporalSplit.of(dataset);
        Factors factors = Loading.train(dataset, split.train(), model.als());
        FeedConfig base = model.feed();
        FeedConfig feed = base.withLimits(Math.max(base.maxLimit(), OfflineEvaluator.CUTOFFS[OfflineEvaluator.CUTOFFS.length - 1]),
                EVAL_CONSUMED_PER_USER);

        UserStoreConfig userStore = model.userStore(dataset.userIds().size());
        ObjectNode out = Json.object();
        out.put("dataset", dataset.name());
        ObjectNode splitNode = out.putObject("split");
        splitNode.put("train_interactions", split.train().size());
        splitNode.put("test_interactions", split.replayOrder().size());
        splitNode.put("test_users", split.testUsers());
        out.set("config", Json.MAPPER.valueToTree(Map.of("als", model.als(), "feed", feed, "learning", model.learning(), "user_store", userStore,
                "itemknn", baselines.itemKnn(), "ease", baselines.ease())));

        Map<String, Double> project;
        try (FeedModel feedModel = ModelTrainer.build(dataset, split.train(), factors, feed, userStore, false);
             Progress progress = Progress.start("eval project", split.testUsers())) {
            project = OfflineEvaluator.evaluate(new FeedRecommender(dataset, feedModel, new FeedPipeline(feedModel, feed, null, null, SAMPLING_SEED)), split, progress::stepTo);
        }
        Map<String, Double> popularity;
        try (Progress progress = Progress.start("eval popularity", split.testUsers())) {
            popularity = OfflineEvaluator.evaluate(new PopularityRecommender(split.train(), dataset.userIds().size(), dataset.items().size()),
                    split, progress::stepTo);
        }
        TrainMatrix train = TrainMatrix.of(split.train(), dataset.userIds().size(), dataset.items().size());
        Baselines.Result itemKnn = Baselines.itemKnn(train, baselines.itemKnn(), split);
        Baselines.Result ease = Baselines.ease(train, baselines.ease(), split);
        out.set("project", Json.MAPPER.valueToTree(project));
        out.set("popularity", Json.MAPPER.valueToTree(popularity));
        out.set("itemknn", Json.MAPPER.valueToTree(itemKnn.metrics()));
        out.set("ease", Json.MAPPER.valueToTree(ease.metrics()));
        out.put("ndcg@20_gain_over_popularity", project.get("ndcg@20") - popularity.get("ndcg@20"));
        out.put("ndcg@20_gain_over_itemknn", project.get("ndcg@20") - itemKnn.metrics().get("ndcg@20"));
        out.put("ndcg@20_gain_over_ease", project.get("ndcg@20") - ease.metrics().get("ndcg@20"));
        ObjectNode fit = out.putObject("baseline_fit");
        fit.put("itemknn_seconds", itemKnn.fitSeconds());
        fit.put("ease_seconds", ease.fitSeconds());
        fit.put("ease_items", ease.modelledItems());

        if (ranking.mode() != RankerOptions.Mode.NONE) {
            out.set("ranked", rankedSystems(dataset, split, feed, userStore));
        }

        if (replay) {
            ObjectNode replayNode = out.putObject("replay");
            replayNode.put("feed_size", REPLAY_FEED_SIZE);
            replayNode.put("interactions", split.replayOrder().size());
            replayNode.put("hit_rate_realtime", replay(dataset, split, factors, feed, userStore, model.learning(), "replay realtime"));
            // Updates off: no drift and no short-term interest (the consumed filter still updates, as always).
            FeedConfig frozenFeed = feed.withSessionWeight(0f);
            replayNode.put("hit_rate_frozen", replay(dataset, split, factors, frozenFeed, userStore,
                    new LearningConfig(0f, model.learning().significantDwellMillis()), "replay frozen"));
            replayNode.put("session_weight_realtime", feed.sessionWeight());
            replayNode.put("drift_rate_realtime", model.learning().driftRate());
        }
        out.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        System.out.println(out.toPrettyString());
        if (output != null) {
            ResultFile.write(output, "eval-" + model.dataset.kind(), "./feedserver " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    headline(out), "ratio", out);
        }
        return 0;
    }

    /**
     * The full pipeline with the ranker, trained here: ALS on each user's older train
     * interactions, the newer ones replayed as events while ranking examples are logged, the
     * ranker trained on them; then the test users ranked by the int8 ranker, by its float
     * reference, and by the built-in formula on the same live model (the ranker's own gain).
     */
    private ObjectNode rankedSystems(Dataset dataset, TemporalSplit split, FeedConfig feed, UserStoreConfig userStore) {
        ObjectNode node = Json.object();
        long buildStart = System.nanoTime();
        RankedModels.Built built = RankedModels.build(dataset, split.train(), model.als(), feed, userStore, model.learning(),
                ranking, null, false, true);
        node.put("build_seconds", Math.round((System.nanoTime() - buildStart) / 1e7) / 100.0);
        node.put("ranker_version", built.ranker().version());
        node.put("feature_width", built.ranker().schema().width());
        node.put("feature_schema", built.ranker().schema().id());
        node.put("training_queries", built.examples().set().queries());
        node.put("training_examples", built.examples().set().examples());
        node.put("candidate_recall_at_logging", built.examples().candidateRecall());
        if (built.training() != null) {
            ObjectNode auc = node.putObject("validation_auc");
            for (Objective o : Objective.values()) {
                auc.put(o.wireName(), built.training().validationAuc()[o.ordinal()]);
            }
            node.put("best_epoch", built.training().bestEpoch());
        }
        long[] now = new long[dataset.userIds().size()];
        for (int i = 0; i < split.train().size(); i++) {
            now[split.train().user(i)] = Math.max(now[split.train().user(i)], split.train().timeMillis(i) + 1);
        }
        try (FeedModel live = built.model()) {
            try (RankerRegistry rankers = new RankerRegistry()) {
                rankers.swap(new Int8Ranker(built.ranker(), live, n -> { }));
                node.set("int8", Json.MAPPER.valueToTree(evaluate("eval ranked int8", dataset, split, live,
                        new FeedPipeline(live, feed, rankers, ranking.weights(), SAMPLING_SEED), now)));
                // The same without diversity caps and spreading: what the re-ranking costs offline.
                node.set("int8_score_order", Json.MAPPER.valueToTree(evaluate("eval ranked int8, score order", dataset, split, live,
                        new FeedPipeline(live, feed.withRerank(RerankConfig.SCORE_ORDER), rankers, ranking.weights(), SAMPLING_SEED), now)));
                rankers.swap(new FloatRanker(built.ranker(), live));
                node.set("float", Json.MAPPER.valueToTree(evaluate("eval ranked float", dataset, split, live,
                        new FeedPipeline(live, feed, rankers, ranking.weights(), SAMPLING_SEED), now)));
            }
            node.set("formula_same_model", Json.MAPPER.valueToTree(evaluate("eval formula (same live model)", dataset, split, live,
                    new FeedPipeline(live, feed, null, null, SAMPLING_SEED), now)));
        }
        double int8 = node.get("int8").get("ndcg@20").asDouble();
        double fl = node.get("float").get("ndcg@20").asDouble();
        node.put("int8_relative_ndcg@20_loss", fl == 0 ? 0 : (fl - int8) / fl);
        return node;
    }

    private static Map<String, Double> evaluate(String task, Dataset dataset, TemporalSplit split, FeedModel live,
                                                FeedPipeline pipeline, long[] now) {
        try (Progress progress = Progress.start(task, split.testUsers())) {
            return OfflineEvaluator.evaluate(new FeedRecommender(dataset, live, pipeline, now), split, progress::stepTo);
        }
    }

    /** Flat metric names for the result file: project_ndcg@20, itemknn_recall@10, replay_hit_rate_realtime... */
    private static Map<String, Double> headline(ObjectNode out) {
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        for (String system : new String[] {"project", "popularity", "itemknn", "ease"}) {
            out.get(system).properties().forEach(e -> metrics.put(system + "_" + e.getKey(), e.getValue().asDouble()));
        }
        if (out.has("ranked")) {
            for (String system : new String[] {"int8", "int8_score_order", "float", "formula_same_model"}) {
                out.get("ranked").get(system).properties().forEach(e -> metrics.put("ranked_" + system + "_" + e.getKey(), e.getValue().asDouble()));
            }
            metrics.put("ranked_int8_relative_ndcg@20_loss", out.get("ranked").get("int8_relative_ndcg@20_loss").asDouble());
            out.get("ranked").get("validation_auc").properties().forEach(e -> metrics.put("ranker_validation_auc_" + e.getKey(), e.getValue().asDouble()));
        }
        if (out.has("replay")) {
            metrics.put("replay_hit_rate_realtime", out.get("replay").get("hit_rate_realtime").asDouble());
            metrics.put("replay_hit_rate_frozen", out.get("replay").get("hit_rate_frozen").asDouble());
        }
        return metrics;
    }

    private static double replay(Dataset dataset, TemporalSplit split, Factors factors, FeedConfig feed,
                                 UserStoreConfig userStore, LearningConfig learning, String task) {
        try (FeedModel feedModel = ModelTrainer.build(dataset, split.train(), factors, feed, userStore, false);
             Progress progress = Progress.start(task, split.replayOrder().size())) {
            FeedPipeline pipeline = new FeedPipeline(feedModel, feed, null, null, SAMPLING_SEED);
            return ReplayEvaluator.hitRate(dataset, split.replayOrder(), feedModel, pipeline,
                    new InteractionApplier(feedModel, learning), REPLAY_FEED_SIZE, progress::stepTo);
        }
    }
}

package dev.feedserver.server.cli;

import dev.feedserver.ranking.eval.EaseConfig;
import dev.feedserver.ranking.eval.EaseRecommender;
import dev.feedserver.ranking.eval.ItemKnnConfig;
import dev.feedserver.ranking.eval.ItemKnnRecommender;
import dev.feedserver.ranking.eval.OfflineEvaluator;
import dev.feedserver.ranking.eval.Recommender;
import dev.feedserver.ranking.eval.TemporalSplit;
import dev.feedserver.ranking.eval.TrainMatrix;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fits and scores {@code eval}'s item-kNN and EASE baselines, with progress bars. Stateless. */
final class Baselines {
    private static final Logger LOG = LoggerFactory.getLogger(Baselines.class);

    /**
     * One baseline's offline metrics and its fit.
     *
     * @param metrics        metric name (recall@10...) to mean
     * @param fitSeconds     wall time of the fit
     * @param modelledItems  items the model scores (the rest are ranked by popularity after them)
     */
    record Result(Map<String, Double> metrics, double fitSeconds, int modelledItems) {
    }

    private Baselines() {
    }

    static Result itemKnn(TrainMatrix train, ItemKnnConfig config, TemporalSplit split) {
        long start = System.nanoTime();
        ItemKnnRecommender knn;
        try (Progress progress = Progress.start("fit itemknn", ItemKnnRecommender.fitWork(train))) {
            knn = ItemKnnRecommender.fit(train, config, progress::stepTo);
        }
        double seconds = secondsSince(start);
        LOG.info("fitted item-kNN ({} neighbours) in {} s", config.neighbours(), seconds);
        return new Result(evaluate("eval itemknn", knn, split), seconds, train.popularityOrder().length);
    }

    static Result ease(TrainMatrix train, EaseConfig config, TemporalSplit split) {
        long start = System.nanoTime();
        EaseRecommender ease;
        try (Progress progress = Progress.start("fit ease", EaseRecommender.fitWork(train, config))) {
            ease = EaseRecommender.fit(train, config, progress::stepTo);
        }
        try (ease) {
            double seconds = secondsSince(start);
            LOG.info("fitted EASE (lambda {}, {} items with at least {} users) in {} s", config.lambda(), ease.modelledItems(),
                    config.minCount(), seconds);
            return new Result(evaluate("eval ease", ease, split), seconds, ease.modelledItems());
        }
    }

    private static Map<String, Double> evaluate(String task, Recommender recommender, TemporalSplit split) {
        try (Progress progress = Progress.start(task, split.testUsers())) {
            return OfflineEvaluator.evaluate(recommender, split, progress::stepTo);
        }
    }

    private static double secondsSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}

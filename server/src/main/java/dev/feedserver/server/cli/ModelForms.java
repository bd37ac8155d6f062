package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.rank.ExampleMetrics;
import dev.feedserver.ranking.rank.ExampleScorer;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.ScorerTiming;
import dev.feedserver.ranking.rank.TrainingSet;
import dev.feedserver.server.http.Json;

/**
 * Measures one form of the ranker for {@code model-eval} against the float form: scores the
 * held-out queries (progress bar), computes AUC per head and NDCG@10 within queries, the rank
 * correlation with float, and times one large batch. Results go into JSON nodes.
 *
 * <p>Runs on the calling thread; not thread-safe.
 */
final class ModelForms {
    static final int NDCG_CUTOFF = 10;

    private final TrainingSet set;
    private final int from;
    private final int to;
    private final ObjectiveWeights weights;
    private final ScorerTiming.Batch batch;
    private final int warmup;
    private final int runs;

    /** One form's logits on the held-out queries and its figures. */
    record Measured(float[] logits, ExampleMetrics.Quality quality) {
    }

    ModelForms(TrainingSet set, int from, int to, ObjectiveWeights weights, ScorerTiming.Batch batch, int warmup, int runs) {
        this.set = set;
        this.from = from;
        this.to = to;
        this.weights = weights;
        this.batch = batch;
        this.warmup = warmup;
        this.runs = runs;
    }

    /** Scores the held-out queries with {@code scorer} and writes quality figures into {@code node}. */
    Measured quality(ExampleScorer scorer, ObjectNode node, Measured reference) {
        float[] logits;
        try (Progress progress = Progress.start("score " + scorer.name(), to - from)) {
            logits = scorer.scoreQueries(set, from, to, progress::stepTo);
        }
        ExampleMetrics.Quality quality = ExampleMetrics.of(logits, set, from, to, weights, NDCG_CUTOFF);
        ObjectNode auc = node.putObject("auc");
        for (Objective o : Objective.values()) {
            auc.put(o.wireName(), quality.auc()[o.ordinal()]);
        }
        node.put("ndcg@" + NDCG_CUTOFF + "_click", quality.ndcgClick());
        node.put("ndcg@" + NDCG_CUTOFF + "_combined", quality.ndcgCombined());
        if (reference != null) {
            ObjectNode spearman = node.putObject("spearman_vs_float");
            spearman.put("click", ExampleMetrics.spearman(ExampleMetrics.column(reference.logits(), Objective.CLICK),
                    ExampleMetrics.column(logits, Objective.CLICK)));
            spearman.put("combined", ExampleMetrics.spearman(ExampleMetrics.combined(reference.logits(), weights),
                    ExampleMetrics.combined(logits, weights)));
        }
        return new Measured(logits, quality);
    }

    /** Median microseconds of one batch through {@code scorer}, on this thread. */
    double time(ExampleScorer scorer) {
        try (Progress progress = Progress.start("time " + scorer.name() + " (" + batch.rows() + " rows)", warmup + runs)) {
            return ScorerTiming.time(scorer, batch, warmup, runs, progress::stepTo).medianMicros();
        }
    }

    /** The differences of {@code form} from {@code reference}: AUC per head (form - float) and relative NDCG. */
    static ObjectNode delta(ExampleMetrics.Quality form, ExampleMetrics.Quality reference) {
        ObjectNode node = Json.object();
        ObjectNode auc = node.putObject("auc");
        for (Objective o : Objective.values()) {
            auc.put(o.wireName(), form.auc()[o.ordinal()] - reference.auc()[o.ordinal()]);
        }
        node.put("ndcg@" + NDCG_CUTOFF + "_click_relative", relative(form.ndcgClick(), reference.ndcgClick()));
        node.put("ndcg@" + NDCG_CUTOFF + "_combined_relative", relative(form.ndcgCombined(), reference.ndcgCombined()));
        return node;
    }

    private static double relative(double value, double reference) {
        return reference == 0 ? Double.NaN : value / reference - 1;
    }
}

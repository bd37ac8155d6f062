package dev.feedserver.ranking.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Scores a {@link Recommender} on a {@link TemporalSplit}: mean Recall@K and NDCG@K over users
 * with test interactions, for each K. Stateless.
 */
public final class OfflineEvaluator {
    public static final int[] CUTOFFS = {10, 20, 50};

    private OfflineEvaluator() {
    }

    /** Metric name (e.g. {@code recall@10}) to its mean; {@code progress} gets users done. */
    public static Map<String, Double> evaluate(Recommender recommender, TemporalSplit split, IntConsumer progress) {
        int maxK = CUTOFFS[CUTOFFS.length - 1];
        double[] recall = new double[CUTOFFS.length];
        double[] ndcg = new double[CUTOFFS.length];
        int users = 0;
        for (int u = 0; u < split.testByUser().length; u++) {
            int[] test = split.testByUser()[u];
            if (test.length == 0) {
                continue;
            }
            int[] ranked = recommender.recommend(u, maxK);
            for (int c = 0; c < CUTOFFS.length; c++) {
                recall[c] += RankingMetrics.recall(ranked, test, CUTOFFS[c]);
                ndcg[c] += RankingMetrics.ndcg(ranked, test, CUTOFFS[c]);
            }
            users++;
            progress.accept(users);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < CUTOFFS.length; c++) {
            out.put("recall@" + CUTOFFS[c], users == 0 ? 0 : recall[c] / users);
        }
        for (int c = 0; c < CUTOFFS.length; c++) {
            out.put("ndcg@" + CUTOFFS[c], users == 0 ? 0 : ndcg[c] / users);
        }
        return out;
    }
}

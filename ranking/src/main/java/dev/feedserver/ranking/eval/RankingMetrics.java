package dev.feedserver.ranking.eval;

/**
 * Recall@K and NDCG@K with binary gains, as the brief defines them:
 * {@code recall = hits / min(K, |test|)}; {@code ndcg = dcg / idcg} with
 * {@code dcg = sum over hits at rank r (0-based) of 1/log2(r+2)} and the ideal ranking putting
 * {@code min(K, |test|)} hits first. Stateless.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    public static double recall(int[] ranked, int[] relevant, int k) {
        if (relevant.length == 0) {
            return 0;
        }
        return (double) hits(ranked, relevant, k) / Math.min(k, relevant.length);
    }

    public static double ndcg(int[] ranked, int[] relevant, int k) {
        if (relevant.length == 0) {
            return 0;
        }
        double dcg = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            if (contains(relevant, ranked[r])) {
                dcg += 1.0 / log2(r + 2);
            }
        }
        double ideal = 0;
        for (int r = 0; r < Math.min(k, relevant.length); r++) {
            ideal += 1.0 / log2(r + 2);
        }
        return dcg / ideal;
    }

    static int hits(int[] ranked, int[] relevant, int k) {
        int hits = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
            if (contains(relevant, ranked[r])) {
                hits++;
            }
        }
        return hits;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}

package dev.feedserver.ranking.rank;

import java.util.Arrays;

/**
 * Quality of one scorer's head logits on logged queries ({@link ExampleScorer#scoreQueries}):
 * AUC per head over every example (as the trainer's validation reports it), and the ranking
 * within each query: NDCG@K of the clicked candidates among the query's candidates, ordered by
 * the click head and by the combined score. Also the rank correlation between two forms.
 *
 * <p>Stateless; thread-safe.
 */
public final class ExampleMetrics {
    private ExampleMetrics() {
    }

    /**
     * One form's figures.
     *
     * @param auc          AUC per head, in {@link Objective} order (NaN where a head had one class only)
     * @param ndcgClick    mean NDCG@K per query, candidates ordered by the click logit
     * @param ndcgCombined mean NDCG@K per query, ordered by the combined score
     * @param queries      queries with at least one click (the ones NDCG averages over)
     */
    public record Quality(double[] auc, double ndcgClick, double ndcgCombined, int queries) {
    }

    /**
     * The figures of {@code logits} (example e of queries {@code [from, to)} at row
     * {@code e - set.start(from)}), NDCG at {@code cutoff}, combined score by {@code weights}.
     */
    public static Quality of(float[] logits, TrainingSet set, int from, int to, ObjectiveWeights weights, int cutoff) {
        int base = set.start(from);
        int n = set.end(to - 1) - base;
        RankerModel.require(logits.length >= n * Objective.COUNT, "logits hold " + logits.length / Objective.COUNT
                + " rows but queries [" + from + ", " + to + ") have " + n + " examples");
        double[] auc = new double[Objective.COUNT];
        float[] column = new float[n];
        boolean[] labels = new boolean[n];
        for (Objective o : Objective.values()) {
            for (int i = 0; i < n; i++) {
                column[i] = logits[i * Objective.COUNT + o.ordinal()];
                labels[i] = (set.labels(base + i) & o.bit()) != 0;
            }
            auc[o.ordinal()] = RankerTrainer.auc(column, labels, n);
        }
        float[] combined = new float[n];
        for (int i = 0; i < n; i++) {
            combined[i] = weights.combine(logits, i * Objective.COUNT);
        }
        double click = 0;
        double mixed = 0;
        int queries = 0;
        for (int q = from; q < to; q++) {
            int start = set.start(q) - base;
            int size = set.end(q) - set.start(q);
            boolean[] relevant = new boolean[size];
            int positives = 0;
            for (int i = 0; i < size; i++) {
                relevant[i] = (set.labels(base + start + i) & Objective.CLICK.bit()) != 0;
                positives += relevant[i] ? 1 : 0;
            }
            if (positives == 0) {
                continue;
            }
            float[] byClick = new float[size];
            for (int i = 0; i < size; i++) {
                byClick[i] = logits[(start + i) * Objective.COUNT + Objective.CLICK.ordinal()];
            }
            click += ndcg(byClick, 0, relevant, positives, cutoff);
            mixed += ndcg(combined, start, relevant, positives, cutoff);
            queries++;
        }
        return new Quality(auc, queries == 0 ? Double.NaN : click / queries, queries == 0 ? Double.NaN : mixed / queries, queries);
    }

    /**
     * NDCG@cutoff of binary relevance with ties broken at random in expectation: a relevant item
     * with g items scored above it and t others tied with it gets the mean gain of positions
     * g+1 .. g+t+1, so a constant scorer is not rewarded for the input order.
     */
    static double ndcg(float[] scores, int offset, boolean[] relevant, int positives, int cutoff) {
        int n = relevant.length;
        double dcg = 0;
        for (int i = 0; i < n; i++) {
            if (!relevant[i]) {
                continue;
            }
            float s = scores[offset + i];
            int above = 0;
            int tied = 0;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    float o = scores[offset + k];
                    above += o > s ? 1 : 0;
                    tied += o == s ? 1 : 0;
                }
            }
            double gain = 0;
            for (int pos = above + 1; pos <= above + tied + 1; pos++) {
                gain += pos <= cutoff ? 1 / log2(pos + 1) : 0;
            }
            dcg += gain / (tied + 1);
        }
        double ideal = 0;
        for (int pos = 1; pos <= Math.min(positives, cutoff); pos++) {
            ideal += 1 / log2(pos + 1);
        }
        return dcg / ideal;
    }

    /** Spearman rank correlation of two equally long score arrays (average ranks for ties); NaN if one is constant. */
    public static double spearman(float[] a, float[] b) {
        RankerModel.require(a.length == b.length, "spearman needs equally long arrays, got " + a.length + " and " + b.length);
        int n = a.length;
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double mean = (n + 1) / 2.0;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < n; i++) {
            cov += (ra[i] - mean) * (rb[i] - mean);
            va += (ra[i] - mean) * (ra[i] - mean);
            vb += (rb[i] - mean) * (rb[i] - mean);
        }
        return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    /** Head {@code objective}'s logit of every row. */
    public static float[] column(float[] logits, Objective objective) {
        float[] out = new float[logits.length / Objective.COUNT];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i * Objective.COUNT + objective.ordinal()];
        }
        return out;
    }

    /** The combined score of every row. */
    public static float[] combined(float[] logits, ObjectiveWeights weights) {
        float[] out = new float[logits.length / Objective.COUNT];
        for (int i = 0; i < out.length; i++) {
            out[i] = weights.combine(logits, i * Objective.COUNT);
        }
        return out;
    }

    private static double[] ranks(float[] scores) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(scores[x], scores[y]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}

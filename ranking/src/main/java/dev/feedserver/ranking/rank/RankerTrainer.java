package dev.feedserver.ranking.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link RankerModel} on a {@link TrainingSet} with Adam and one binary cross-entropy
 * loss per head (summed). Queries are ordered by time; the last {@code validationShare} of them
 * are held out and scored after every epoch (AUC per head), and the epoch with the best
 * validation click AUC is the one returned.
 *
 * <p>The first layer is trained in its split form: each query's request part and its gradient
 * are computed once and shared by its candidates, exactly the function {@link RankerModel#forwardDense}
 * computes, at a fraction of the cost. Inputs that are zero cost nothing.
 *
 * <p>Threading: one trainer trains on the calling thread; not thread-safe.
 */
public final class RankerTrainer {

    /**
     * Training settings.
     *
     * @param epochs          passes over the training queries, {@code >= 1}
     * @param batchQueries    queries per Adam step
     * @param learningRate    Adam step size
     * @param l2              weight decay on the weights (not biases)
     * @param validationShare newest share of queries held out, in [0, 0.5]
     * @param hidden1         first hidden width
     * @param hidden2         second hidden width
     * @param seed            initialisation and shuffling seed
     */
    public record Config(int epochs, int batchQueries, float learningRate, float l2, double validationShare,
                         int hidden1, int hidden2, long seed) {
        public static final Config DEFAULT = new Config(4, 16, 1e-3f, 1e-6f, 0.1, RankerModel.DEFAULT_HIDDEN1,
                RankerModel.DEFAULT_HIDDEN2, 7);

        public Config {
            if (epochs < 1 || batchQueries < 1 || !(learningRate > 0) || l2 < 0 || validationShare < 0 || validationShare > 0.5
                    || hidden1 < 1 || hidden2 < 1) {
                throw new IllegalArgumentException("invalid trainer config " + this);
            }
        }

        /**
         * Queries trained on out of {@code queries}: the oldest ones; the newest
         * {@code floor(queries * validationShare)} are held out, and they start at this index.
         */
        public int trainQueries(int queries) {
            return queries - (int) Math.floor(queries * validationShare);
        }

        public Config withEpochs(int n) {
            return new Config(n, batchQueries, learningRate, l2, validationShare, hidden1, hidden2, seed);
        }

        public Config withHidden(int h1, int h2) {
            return new Config(epochs, batchQueries, learningRate, l2, validationShare, h1, h2, seed);
        }
    }

    /** One epoch's figures. */
    public record Epoch(int epoch, double trainLoss, double[] validationAuc, double validationLoss, double seconds) {
    }

    /** The outcome: the chosen model and how training went. */
    public record Result(RankerModel model, List<Epoch> epochs, int bestEpoch, int trainQueries, int validationQueries,
                         int[] validationPositives) {
        /** The chosen epoch's validation AUC per head (NaN where a head had no positive or no negative). */
        public double[] validationAuc() {
            return epochs.get(bestEpoch - 1).validationAuc();
        }
    }

    /** Receives progress: queries done in the current epoch, out of the total. */
    public interface Progress {
        void update(int epoch, int queriesDone, int queriesTotal);
    }

    private final Config config;

    public RankerTrainer(Config config) {
        this.config = config;
    }

    /**
     * Trains a fresh model named {@code version}.
     *
     * @throws IllegalArgumentException if the set has too few queries to train and validate
     */
    public Result train(TrainingSet set, String version, Progress progress) {
        int queries = set.queries();
        int train = config.trainQueries(queries);
        int validation = queries - train;
        if (train < 1) {
            throw new IllegalArgumentException("no training queries (the set has " + queries + ")");
        }
        RankerModel model = RankerModel.initialise(set.schema(), config.hidden1(), config.hidden2(), config.seed(), version);
        initialiseHeadBiases(model, set, train);
        State state = new State(model);
        int[] order = new int[train];
        for (int i = 0; i < train; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Epoch> epochs = new ArrayList<>();
        float[][] best = null;
        int bestEpoch = 0;
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long t0 = System.nanoTime();
            shuffle(order, random);
            double loss = 0;
            int examples = 0;
            for (int b = 0; b < train; b += config.batchQueries()) {
                int end = Math.min(train, b + config.batchQueries());
                int batchExamples = 0;
                for (int i = b; i < end; i++) {
                    batchExamples += set.end(order[i]) - set.start(order[i]);
                }
                if (batchExamples == 0) {
                    continue;
                }
                state.zeroGradients();
                for (int i = b; i < end; i++) {
                    loss += state.accumulate(set, order[i], 1f / batchExamples);
                }
                examples += batchExamples;
                state.adamStep(config.learningRate(), config.l2());
                progress.update(epoch, end, train);
            }
            double[] auc = new double[Objective.COUNT];
            double validationLoss = validation == 0 ? Double.NaN : evaluate(model, set, train, queries, auc);
            if (validation == 0) {
                Arrays.fill(auc, Double.NaN);
            }
            epochs.add(new Epoch(epoch, loss / Math.max(1, examples), auc, validationLoss, (System.nanoTime() - t0) / 1e9));
            double click = validation == 0 ? epoch : auc[Objective.CLICK.ordinal()];
            if (Double.isNaN(click) || click > bestAuc) {
                bestAuc = Double.isNaN(click) ? bestAuc : click;
                best = state.snapshot();
                bestEpoch = epoch;
            }
        }
        state.restore(best);
        int[] positives = new int[Objective.COUNT];
        for (int q = train; q < queries; q++) {
            for (int e = set.start(q); e < set.end(q); e++) {
                for (Objective o : Objective.values()) {
                    if ((set.labels(e) & o.bit()) != 0) {
                        positives[o.ordinal()]++;
                    }
                }
            }
        }
        return new Result(model, List.copyOf(epochs), bestEpoch, train, validation, positives);
    }

    /** Head logits of every example of queries [from, to) through the float model, split path. */
    static double evaluate(RankerModel model, TrainingSet set, int from, int to, double[] aucOut) {
        int n = set.end(to - 1) - set.start(from);
        float[][] scores = new float[Objective.COUNT][n];
        boolean[][] labels = new boolean[Objective.COUNT][n];
        float[] request = new float[model.hidden1()];
        float[] pre = new float[model.hidden1()];
        float[] itemPart = new float[model.hidden1()];
        float[] candPart = new float[model.hidden1()];
        float[] logits = new float[Objective.COUNT];
        float[] hidden = new float[model.hidden2()];
        float[] cand = new float[set.candidateWidth()];
        double loss = 0;
        int at = 0;
        for (int q = from; q < to; q++) {
            model.partial(FeatureScope.REQUEST, set.request(q), 0, request);
            for (int e = set.start(q); e < set.end(q); e++) {
                model.partial(FeatureScope.ITEM, set.itemBlock(set.item(e)), 0, itemPart);
                System.arraycopy(set.candidateArray(), e * set.candidateWidth(), cand, 0, cand.length);
                model.partial(FeatureScope.CANDIDATE, cand, 0, candPart);
                for (int j = 0; j < pre.length; j++) {
                    pre[j] = request[j] + itemPart[j] + candPart[j];
                }
                model.forwardFromFirstLayer(pre, logits, hidden);
                for (Objective o : Objective.values()) {
                    int h = o.ordinal();
                    boolean y = (set.labels(e) & o.bit()) != 0;
                    scores[h][at] = logits[h];
                    labels[h][at] = y;
                    loss += bce(logits[h], y);
                }
                at++;
            }
        }
        for (int h = 0; h < Objective.COUNT; h++) {
            aucOut[h] = auc(scores[h], labels[h], at);
        }
        return loss / Math.max(1, at);
    }

    /** Area under the ROC curve (ties count half); NaN without both classes. */
    public static double auc(float[] scores, boolean[] labels, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double bce(float logit, boolean y) {
        // log(1 + exp(-z)) for y, log(1 + exp(z)) otherwise, computed stably.
        double z = y ? logit : -logit;
        return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }

    /** Starts each head's bias at the logit of its base rate in the training queries. */
    private static void initialiseHeadBiases(RankerModel model, TrainingSet set, int train) {
        long n = 0;
        long[] positives = new long[Objective.COUNT];
        for (int q = 0; q < train; q++) {
            for (int e = set.start(q); e < set.end(q); e++) {
                n++;
                for (Objective o : Objective.values()) {
                    if ((set.labels(e) & o.bit()) != 0) {
                        positives[o.ordinal()]++;
                    }
                }
            }
        }
        for (int h = 0; h < Objective.COUNT; h++) {
            double p = (positives[h] + 0.5) / (n + 1.0);
            model.bh[h] = (float) Math.log(p / (1 - p));
        }
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Gradients and Adam moments of one model. */
    private static final class State {
        private static final float BETA1 = 0.9f;
        private static final float BETA2 = 0.999f;
        private static final float EPS = 1e-8f;

        final RankerModel m;
        final float[][] params;
        final boolean[] decays;
        final float[][] grads;
        final float[][] first;
        final float[][] second;
        final int h1;
        final int h2;
        final int heads = Objective.COUNT;
        final int requestWidth;
        final int itemWidth;
        final int candidateOffset;
        final float[] requestPart;
        final float[] requestGrad;
        final float[] a0;
        final float[] a1;
        final float[] logits = new float[Objective.COUNT];
        final float[] d0;
        final float[] d1;
        final float[] dz = new float[Objective.COUNT];
        int step;

        State(RankerModel m) {
            this.m = m;
            params = new float[][] {m.w0, m.b0, m.w1, m.b1, m.wh, m.bh};
            decays = new boolean[] {true, false, true, false, true, false};
            grads = new float[params.length][];
            first = new float[params.length][];
            second = new float[params.length][];
            for (int i = 0; i < params.length; i++) {
                grads[i] = new float[params[i].length];
                first[i] = new float[params[i].length];
                second[i] = new float[params[i].length];
            }
            h1 = m.hidden1;
            h2 = m.hidden2;
            requestWidth = m.schema.width(FeatureScope.REQUEST);
            itemWidth = m.schema.width(FeatureScope.ITEM);
            candidateOffset = m.schema.offset(FeatureScope.CANDIDATE);
            requestPart = new float[h1];
            requestGrad = new float[h1];
            a0 = new float[h1];
            a1 = new float[h2];
            d0 = new float[h1];
            d1 = new float[h2];
        }

        void zeroGradients() {
            for (float[] g : grads) {
                Arrays.fill(g, 0f);
            }
        }

        /** Forward and backward for one query; adds scale x gradients; returns the summed loss. */
        double accumulate(TrainingSet set, int q, float scale) {
            float[] w0 = m.w0;
            float[] g0 = grads[0];
            float[] gb0 = grads[1];
            float[] w1 = m.w1;
            float[] g1 = grads[2];
            float[] gb1 = grads[3];
            float[] wh = m.wh;
            float[] gh = grads[4];
            float[] gbh = grads[5];
            float[] request = set.request(q);
            Arrays.fill(requestPart, 0f);
            for (int k = 0; k < requestWidth; k++) {
                float x = request[k];
                if (x != 0f) {
                    RankerModel.axpy(x, w0, k * h1, requestPart, 0, h1);
                }
            }
            Arrays.fill(requestGrad, 0f);
            double loss = 0;
            float[] candidates = set.candidateArray();
            int cw = set.candidateWidth();
            for (int e = set.start(q); e < set.end(q); e++) {
                float[] item = set.itemBlock(set.item(e));
                int cOff = e * cw;
                // forward
                for (int j = 0; j < h1; j++) {
                    a0[j] = requestPart[j] + m.b0[j];
                }
                for (int k = 0; k < itemWidth; k++) {
                    float x = item[k];
                    if (x != 0f) {
                        RankerModel.axpy(x, w0, (requestWidth + k) * h1, a0, 0, h1);
                    }
                }
                for (int k = 0; k < cw; k++) {
                    float x = candidates[cOff + k];
                    if (x != 0f) {
                        RankerModel.axpy(x, w0, (candidateOffset + k) * h1, a0, 0, h1);
                    }
                }
                for (int j = 0; j < h1; j++) {
                    a0[j] = Math.max(0f, a0[j]);
                }
                System.arraycopy(m.b1, 0, a1, 0, h2);
                for (int k = 0; k < h1; k++) {
                    if (a0[k] != 0f) {
                        RankerModel.axpy(a0[k], w1, k * h2, a1, 0, h2);
                    }
                }
                System.arraycopy(m.bh, 0, logits, 0, heads);
                for (int k = 0; k < h2; k++) {
                    float a = Math.max(0f, a1[k]);
                    a1[k] = a;
                    if (a != 0f) {
                        for (int h = 0; h < heads; h++) {
                            logits[h] += a * wh[k * heads + h];
                        }
                    }
                }
                int labels = set.labels(e);
                for (int h = 0; h < heads; h++) {
                    boolean y = (labels & (1 << h)) != 0;
                    loss += bce(logits[h], y);
                    dz[h] = (ObjectiveWeights.sigmoid(logits[h]) - (y ? 1f : 0f)) * scale;
                    gbh[h] += dz[h];
                }
                // backward through the heads
                for (int k = 0; k < h2; k++) {
                    float a = a1[k];
                    float g = 0f;
                    for (int h = 0; h < heads; h++) {
                        g += wh[k * heads + h] * dz[h];
                        if (a != 0f) {
                            gh[k * heads + h] += a * dz[h];
                        }
                    }
                    d1[k] = a > 0f ? g : 0f;
                }
                for (int j = 0; j < h2; j++) {
                    gb1[j] += d1[j];
                }
                // backward through layer 1
                for (int k = 0; k < h1; k++) {
                    if (a0[k] != 0f) {
                        RankerModel.axpy(a0[k], d1, 0, g1, k * h2, h2);
                        d0[k] = dot(w1, k * h2, d1, h2);
                    } else {
                        d0[k] = 0f;
                    }
                }
                for (int j = 0; j < h1; j++) {
                    gb0[j] += d0[j];
                    requestGrad[j] += d0[j];
                }
                for (int k = 0; k < itemWidth; k++) {
                    float x = item[k];
                    if (x != 0f) {
                        RankerModel.axpy(x, d0, 0, g0, (requestWidth + k) * h1, h1);
                    }
                }
                for (int k = 0; k < cw; k++) {
                    float x = candidates[cOff + k];
                    if (x != 0f) {
                        RankerModel.axpy(x, d0, 0, g0, (candidateOffset + k) * h1, h1);
                    }
                }
            }
            for (int k = 0; k < requestWidth; k++) {
                float x = request[k];
                if (x != 0f) {
                    RankerModel.axpy(x, requestGrad, 0, g0, k * h1, h1);
                }
            }
            return loss;
        }

        void adamStep(float lr, float l2) {
            step++;
            float c1 = 1f - (float) Math.pow(BETA1, step);
            float c2 = 1f - (float) Math.pow(BETA2, step);
            float stepSize = lr * (float) Math.sqrt(c2) / c1;
            for (int p = 0; p < params.length; p++) {
                float[] w = params[p];
                float[] g = grads[p];
                float[] mo = first[p];
                float[] v = second[p];
                float decay = decays[p] ? l2 : 0f;
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i] + decay * w[i];
                    mo[i] = BETA1 * mo[i] + (1 - BETA1) * gi;
                    v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
                    w[i] -= stepSize * mo[i] / ((float) Math.sqrt(v[i]) + EPS);
                }
            }
        }

        float[][] snapshot() {
            float[][] copy = new float[params.length][];
            for (int i = 0; i < params.length; i++) {
                copy[i] = params[i].clone();
            }
            return copy;
        }

        void restore(float[][] snapshot) {
            for (int i = 0; i < params.length; i++) {
                System.arraycopy(snapshot[i], 0, params[i], 0, params[i].length);
            }
        }

        private static float dot(float[] a, int offset, float[] b, int n) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += a[offset + i] * b[i];
            }
            return s;
        }
    }
}

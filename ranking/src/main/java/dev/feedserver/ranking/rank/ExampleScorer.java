package dev.feedserver.ranking.rank;

import java.util.function.IntConsumer;

/**
 * One numeric form of a {@link RankerModel} (float, int8 as served, FP8 weights, static int8)
 * scoring the examples a {@link TrainingSet} logged, so the forms can be compared on the same
 * held-out queries ({@code feedserver model-eval}). A scorer is built over one set and knows the
 * ITEM blocks it stored; every item it is asked to score must be one of them.
 *
 * <p>Threading: not thread-safe (each scorer reuses its own scratch). Lifecycle: {@link #close}
 * frees what the scorer holds (native models for the int8 form); idempotent.
 */
public interface ExampleScorer extends AutoCloseable {

    /** The form's name in reports, e.g. {@code int8}. */
    String name();

    /**
     * Head logits of {@code n} candidates of one request: the request block {@code request};
     * candidate i's item {@code items[first + i]} and its CANDIDATE row at
     * {@code candidates[(first + i) * candidateWidth]}; logit h of candidate i into
     * {@code logits[i * Objective.COUNT + h]}.
     */
    void score(float[] request, int[] items, float[] candidates, int first, int n, float[] logits);

    /**
     * Head logits of every example of queries {@code [from, to)} of {@code set}, example
     * {@code e} at row {@code e - set.start(from)}; {@code progress} gets queries done.
     */
    default float[] scoreQueries(TrainingSet set, int from, int to, IntConsumer progress) {
        int base = set.start(from);
        int heads = Objective.COUNT;
        float[] out = new float[(set.end(to - 1) - base) * heads];
        float[] query = new float[0];
        for (int q = from; q < to; q++) {
            int n = set.end(q) - set.start(q);
            if (query.length < n * heads) {
                query = new float[n * heads];
            }
            score(set.request(q), set.itemArray(), set.candidateArray(), set.start(q), n, query);
            System.arraycopy(query, 0, out, (set.start(q) - base) * heads, n * heads);
            if (((q - from) & 63) == 63 || q == to - 1) {
                progress.accept(q - from + 1);
            }
        }
        return out;
    }

    @Override
    void close();
}

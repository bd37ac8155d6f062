package dev.feedserver.bench;

import dev.feedserver.ranking.retrieval.InterestIndex;
import dev.feedserver.ranking.retrieval.ItemFilter;
import dev.feedserver.ranking.retrieval.TopK;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Recall@k and single-thread search latency of one index setting over a fixed query set.
 *
 * <p>A plain timed loop rather than JMH: each search is an independent operation of tens of
 * microseconds to milliseconds, far above the timer's resolution, and what is wanted is the
 * distribution over queries, not a mean over many calls of one. One untimed warm-up pass over
 * all queries (JIT compilation, caches, the index's per-thread scratch) comes first; then
 * {@code passes} timed passes, each query timed on its own with {@link System#nanoTime()} into an
 * HdrHistogram. A timed search includes draining the {@link TopK} (as any caller must); recall
 * is computed outside the timed region, from the first timed pass.
 *
 * <p>Stateless; runs on the calling thread (ground truth uses the common pool).
 */
final class RetrievalMeasurement {
    private static final ItemFilter NOTHING_EXCLUDED = item -> false;

    private RetrievalMeasurement() {
    }

    /** Mean and worst recall over the queries, how many queries got under half, and the per-search latency in nanoseconds. */
    record Figure(double recall, double minRecall, int queriesUnderHalf, Histogram latencyNanos) {
        double percentileMicros(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1e3;
        }
    }

    /** The exact top {@code k} item ids of every query (best first), searched in parallel. */
    static int[][] groundTruth(InterestIndex exact, float[][] queries, int k) {
        int[][] truth = new int[queries.length][];
        IntStream.range(0, queries.length).parallel().forEach(q -> {
            TopK top = new TopK(k);
            exact.search(queries[q], NOTHING_EXCLUDED, top);
            int[] ids = new int[top.size()];
            top.drainDescending(ids, new float[ids.length]);
            truth[q] = ids;
        });
        return truth;
    }

    /** Measures {@code index} on {@code queries} against {@code truth}; item ids are below {@code items}. */
    static Figure measure(InterestIndex index, float[][] queries, int[][] truth, int k, int passes, int items) {
        TopK top = new TopK(k);
        int[] ids = new int[k];
        float[] scores = new float[k];
        for (float[] query : queries) {
            top.clear();
            index.search(query, NOTHING_EXCLUDED, top);
            top.drainDescending(ids, scores);
        }
        Histogram latency = new Histogram(3);
        boolean[] inTruth = new boolean[items];
        double recallSum = 0;
        double minRecall = 1;
        int underHalf = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (int q = 0; q < queries.length; q++) {
                top.clear();
                long start = System.nanoTime();
                index.search(queries[q], NOTHING_EXCLUDED, top);
                int found = top.drainDescending(ids, scores);
                latency.recordValue(System.nanoTime() - start);
                if (pass == 0) {
                    double recall = recall(ids, found, truth[q], inTruth);
                    recallSum += recall;
                    minRecall = Math.min(minRecall, recall);
                    underHalf += recall < 0.5 ? 1 : 0;
                }
            }
        }
        return new Figure(recallSum / queries.length, minRecall, underHalf, latency);
    }

    /** {@code |found ∩ truth| / |truth|}; {@code marks} is all false on entry and on return. */
    private static double recall(int[] found, int count, int[] truth, boolean[] marks) {
        for (int id : truth) {
            marks[id] = true;
        }
        int hits = 0;
        for (int i = 0; i < count; i++) {
            if (marks[found[i]]) {
                hits++;
            }
        }
        for (int id : truth) {
            marks[id] = false;
        }
        return truth.length == 0 ? 1 : hits / (double) truth.length;
    }
}

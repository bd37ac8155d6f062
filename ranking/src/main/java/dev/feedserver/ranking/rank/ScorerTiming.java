package dev.feedserver.ranking.rank;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Times one {@link ExampleScorer} on one large request, on the calling thread: what one feed
 * request with {@code rows} candidates costs in that form (request part, candidate network,
 * heads; item parts cached as serving caches them). A rough figure for side-by-side
 * comparison, not a benchmark: JMH suites own the precise ones.
 *
 * <p>Stateless; each call runs on the calling thread.
 */
public final class ScorerTiming {
    private ScorerTiming() {
    }

    /**
     * One request's worth of candidates: the request block of one query and {@code rows}
     * candidates taken in order from its examples on (wrapping to the start of that range).
     */
    public record Batch(float[] request, int[] items, float[] candidates, int rows) {

        /** {@code rows} candidates from the examples of queries {@code [from, set.queries())}, with query {@code from}'s request. */
        public static Batch of(TrainingSet set, int from, int rows) {
            RankerModel.require(rows >= 1 && from >= 0 && from < set.queries(), "a batch needs rows >= 1 and a query of the set");
            int start = set.start(from);
            int available = set.examples() - start;
            RankerModel.require(available > 0, "queries from " + from + " hold no examples");
            int width = set.candidateWidth();
            int[] items = new int[rows];
            float[] candidates = new float[rows * width];
            for (int i = 0; i < rows; i++) {
                int e = start + i % available;
                items[i] = set.item(e);
                System.arraycopy(set.candidateArray(), e * width, candidates, i * width, width);
            }
            return new Batch(set.request(from).clone(), items, candidates, rows);
        }
    }

    /** Median and fastest of {@code runs} timed calls, in microseconds. */
    public record Result(double medianMicros, double minMicros, int runs) {
    }

    /** {@code warmup} untimed calls, then {@code runs} timed ones; {@code progress} gets calls done. */
    public static Result time(ExampleScorer scorer, Batch batch, int warmup, int runs, IntConsumer progress) {
        RankerModel.require(runs >= 1 && warmup >= 0, "timing needs runs >= 1 and warmup >= 0");
        float[] logits = new float[batch.rows() * Objective.COUNT];
        for (int i = 0; i < warmup; i++) {
            scorer.score(batch.request(), batch.items(), batch.candidates(), 0, batch.rows(), logits);
            progress.accept(i + 1);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            scorer.score(batch.request(), batch.items(), batch.candidates(), 0, batch.rows(), logits);
            nanos[i] = System.nanoTime() - t0;
            progress.accept(warmup + i + 1);
        }
        Arrays.sort(nanos);
        double median = runs % 2 == 1 ? nanos[runs / 2] : (nanos[runs / 2 - 1] + nanos[runs / 2]) / 2.0;
        return new Result(median / 1e3, nanos[0] / 1e3, runs);
    }
}

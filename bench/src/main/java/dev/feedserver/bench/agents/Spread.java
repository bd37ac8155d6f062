package dev.feedserver.bench.agents;

import java.util.Arrays;

/**
 * Mean, median, 10th and 90th percentile of a sample (nearest rank), for figures per output.
 *
 * <p>Threading and lifecycle: an immutable value.
 */
public record Spread(double mean, double median, double p10, double p90, int n) {

    /** The spread of {@code values}; all zero for an empty sample. */
    public static Spread of(double[] values) {
        if (values.length == 0) {
            return new Spread(0, 0, 0, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Spread(sum / sorted.length, rank(sorted, 0.5), rank(sorted, 0.1), rank(sorted, 0.9), sorted.length);
    }

    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

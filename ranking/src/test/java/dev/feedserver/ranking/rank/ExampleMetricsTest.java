package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** NDCG within a query, ties, and rank correlation, on hand-computed cases. */
class ExampleMetricsTest {

    private static double gain(int position) {
        return 1 / (Math.log(position + 1) / Math.log(2));
    }

    @Test
    void ndcgOfOnePositiveIsItsPositionsGain() {
        boolean[] relevant = {false, true, false, false, false};
        assertEquals(gain(3), ExampleMetrics.ndcg(new float[] {9, 5, 7, 1, 2}, 0, relevant, 1, 10), 1e-12);
        assertEquals(1.0, ExampleMetrics.ndcg(new float[] {0, 5, 1, 1, 2}, 0, relevant, 1, 10), 1e-12);
        assertEquals(0.0, ExampleMetrics.ndcg(new float[] {9, 5, 7, 1, 2}, 0, relevant, 1, 2), 1e-12, "below the cutoff");
        // Offset: the query's scores start at index 2 of the array.
        assertEquals(gain(2), ExampleMetrics.ndcg(new float[] {100, 100, 9, 8, 7, 1, 2}, 0 + 2, relevant, 1, 10), 1e-12);
    }

    @Test
    void tiesGetTheExpectedGainOfARandomOrder() {
        boolean[] relevant = new boolean[16];
        relevant[0] = true;
        double expected = 0;
        for (int p = 1; p <= 10; p++) {
            expected += gain(p);
        }
        assertEquals(expected / 16, ExampleMetrics.ndcg(new float[16], 0, relevant, 1, 10), 1e-12,
                "a constant scorer is not rewarded for the input order");
        // Tied with one other, both below one: positions 2 and 3.
        boolean[] second = {false, true, false, false};
        assertEquals((gain(2) + gain(3)) / 2, ExampleMetrics.ndcg(new float[] {9, 4, 4, 1}, 0, second, 1, 10), 1e-12);
    }

    @Test
    void twoPositivesNormaliseByTheIdealOrder() {
        boolean[] relevant = {true, false, true};
        double ideal = gain(1) + gain(2);
        assertEquals((gain(1) + gain(3)) / ideal, ExampleMetrics.ndcg(new float[] {3, 2, 1}, 0, relevant, 2, 10), 1e-12);
    }

    @Test
    void spearmanOfMonotoneAndReversedOrders() {
        float[] a = {1, 2, 3, 4, 5};
        assertEquals(1.0, ExampleMetrics.spearman(a, new float[] {10, 20, 30, 40, 50}), 1e-12);
        assertEquals(-1.0, ExampleMetrics.spearman(a, new float[] {5, 4, 3, 2, 1}), 1e-12);
        assertEquals(Double.NaN, ExampleMetrics.spearman(a, new float[] {1, 1, 1, 1, 1}));
    }
}

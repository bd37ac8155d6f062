package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrendingIndexTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void incrementalTopMatchesNaiveDecayedCountsAcrossRebases() {
        SplittableRandom random = new SplittableRandom(4);
        int items = 300;
        TrendingIndex index = new TrendingIndex(HOUR, 20);
        double[][] events = new double[5_000][3];
        long t = 0;
        for (double[] e : events) {
            t += random.nextInt(120_000); // ~ 1 minute apart: spans many half-lives, forcing rebases
            e[0] = random.nextInt(random.nextBoolean() ? 30 : items);
            e[1] = 1 + random.nextInt(3);
            e[2] = t;
            index.record((int) e[0], e[1], t);
        }
        long now = t;
        double tau = HOUR / Math.log(2);
        double[] naive = new double[items];
        for (double[] e : events) {
            naive[(int) e[0]] += e[1] * Math.exp(-(now - e[2]) / tau);
        }
        int[] expected = IntStream.range(0, items).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -naive[i]).thenComparingInt(i -> i))
                .limit(20).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, index.top(20));
        for (int i = 0; i < items; i++) {
            assertEquals(naive[i], index.score(i, now), 1e-9 * Math.max(1, naive[i]));
        }
        assertEquals(5, index.top(5).length);
    }

    @Test
    void recentActivityOvertakesOldActivity() {
        TrendingIndex index = new TrendingIndex(HOUR, 5);
        for (int i = 0; i < 10; i++) {
            index.record(1, 1, 0);
        }
        for (int i = 0; i < 3; i++) {
            index.record(2, 1, 5 * HOUR);
        }
        assertArrayEquals(new int[] {2, 1}, index.top(5));
        assertThrows(IllegalArgumentException.class, () -> new TrendingIndex(0, 5));
    }
}

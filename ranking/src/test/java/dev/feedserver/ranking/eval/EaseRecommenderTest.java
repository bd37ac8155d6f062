package dev.feedserver.ranking.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Interactions;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EaseRecommenderTest {
    private static final int USERS = 80;
    private static final int ITEMS = 50;
    private static final double LAMBDA = 4;

    /** Random binary matrix; item 0 is never seen, items near 49 are rare. */
    private static Interactions randomTrain(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Interactions train = new Interactions(USERS * ITEMS / 4);
        for (int u = 0; u < USERS; u++) {
            for (int i = 1; i < ITEMS; i++) {
                if (random.nextDouble() < 0.5 * (ITEMS - i) / ITEMS) {
                    train.add(u, i, 0);
                }
            }
        }
        return train;
    }

    /** B = I - P diag(1/diag(P)), P = (X^T X + lambda I)^-1 over the items seen, by Gauss-Jordan in double. */
    private static double[][] naiveWeights(TrainMatrix train, int[] items, double lambda) {
        int n = items.length;
        double[][] gram = new double[n][n];
        for (int u = 0; u < train.users(); u++) {
            int[] own = train.itemsOf(u);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (Arrays.binarySearch(own, items[a]) >= 0 && Arrays.binarySearch(own, items[b]) >= 0) {
                        gram[a][b]++;
                    }
                }
            }
        }
        for (int a = 0; a < n; a++) {
            gram[a][a] += lambda;
        }
        double[][] p = GaussJordan.inverse(gram);
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i][j] = (i == j ? 1 : 0) - p[i][j] / p[j][j];
            }
        }
        return b;
    }

    @Test
    void weightsEqualTheClosedFormWithZeroDiagonal() {
        TrainMatrix train = TrainMatrix.of(randomTrain(3), USERS, ITEMS);
        int[] seen = train.popularityOrder();
        Arrays.sort(seen);
        double[][] expected = naiveWeights(train, seen, LAMBDA);
        try (EaseRecommender ease = EaseRecommender.fit(train, new EaseConfig(LAMBDA, 1), done -> { })) {
            assertEquals(seen.length, ease.modelledItems());
            double largest = 0;
            for (int a = 0; a < seen.length; a++) {
                assertEquals(0f, ease.weight(seen[a], seen[a]), "diag(B) = 0");
                for (int b = 0; b < seen.length; b++) {
                    assertEquals(expected[a][b], ease.weight(seen[a], seen[b]), 2e-5, "B[" + seen[a] + "][" + seen[b] + "]");
                    largest = Math.max(largest, Math.abs(expected[a][b]));
                }
            }
            assertTrue(largest > 0.05, "the test matrix must give weights that matter: " + largest);
            assertEquals(0f, ease.weight(0, seen[0]), "an unseen item is outside the model");
        }
    }

    @Test
    void ranksByUserRowTimesWeightsAndSkipsTrainItems() {
        TrainMatrix train = TrainMatrix.of(randomTrain(5), USERS, ITEMS);
        int[] seen = train.popularityOrder();
        Arrays.sort(seen);
        double[][] b = naiveWeights(train, seen, LAMBDA);
        try (EaseRecommender ease = EaseRecommender.fit(train, new EaseConfig(LAMBDA, 1), done -> { })) {
            for (int u = 0; u < USERS; u++) {
                int[] own = train.itemsOf(u);
                int[] list = ease.recommend(u, 10);
                assertEquals(Math.min(10, seen.length - own.length), list.length);
                double previous = Double.POSITIVE_INFINITY;
                for (int item : list) {
                    assertTrue(Arrays.binarySearch(own, item) < 0, "user " + u + " got own train item " + item);
                    assertTrue(item != 0, "item 0 was never seen in training");
                    double score = naiveScore(b, seen, own, item);
                    assertTrue(score <= previous + 1e-4, "user " + u + ": scores must not increase down the list");
                    previous = score;
                }
                // nothing left out scores clearly better than the last item listed
                for (int item : seen) {
                    if (Arrays.binarySearch(own, item) < 0 && Arrays.stream(list).noneMatch(x -> x == item)) {
                        assertTrue(naiveScore(b, seen, own, item) <= previous + 1e-4, "user " + u + " missed item " + item);
                    }
                }
            }
        }
    }

    private static double naiveScore(double[][] b, int[] seen, int[] own, int item) {
        int j = Arrays.binarySearch(seen, item);
        double s = 0;
        for (int i : own) {
            s += b[Arrays.binarySearch(seen, i)][j];
        }
        return s;
    }

    @Test
    void itemsBelowTheMinimumCountAreLeftOutAndRankedAfterByPopularity() {
        TrainMatrix train = TrainMatrix.of(randomTrain(7), USERS, ITEMS);
        int minCount = 10;
        int[] modelled = java.util.stream.IntStream.range(0, ITEMS).filter(i -> train.count(i) >= minCount).toArray();
        assertTrue(modelled.length > 5 && modelled.length < ITEMS - 5, "the cut must split the items: " + modelled.length);
        double[][] expected = naiveWeights(train, modelled, LAMBDA);
        try (EaseRecommender ease = EaseRecommender.fit(train, new EaseConfig(LAMBDA, minCount), done -> { })) {
            assertEquals(modelled.length, ease.modelledItems());
            assertEquals(expected[1][0], ease.weight(modelled[1], modelled[0]), 2e-5);
            int rare = java.util.stream.IntStream.range(0, ITEMS).filter(i -> train.count(i) > 0 && train.count(i) < minCount)
                    .findFirst().orElseThrow();
            assertEquals(0f, ease.weight(modelled[0], rare));
            int user = 0;
            int[] list = ease.recommend(user, ITEMS);
            int[] own = train.itemsOf(user);
            long modelledCandidates = Arrays.stream(modelled).filter(i -> Arrays.binarySearch(own, i) < 0).count();
            for (int r = 0; r < list.length; r++) {
                boolean isModelled = Arrays.binarySearch(modelled, list[r]) >= 0;
                assertEquals(r < modelledCandidates, isModelled, "rank " + r + " item " + list[r]);
            }
            int[] tail = Arrays.copyOfRange(list, (int) modelledCandidates, list.length);
            int[] byPopularity = Arrays.stream(train.popularityOrder())
                    .filter(i -> Arrays.binarySearch(modelled, i) < 0 && Arrays.binarySearch(own, i) < 0).toArray();
            assertArrayEquals(byPopularity, tail);
        }
    }

    @Test
    void progressEndsAtTheAnnouncedWorkAndCloseFreesTheWeights() {
        AtomicLong last = new AtomicLong();
        EaseConfig config = new EaseConfig(EaseConfig.DEFAULT_LAMBDA, 1);
        EaseRecommender ease = EaseRecommender.fit(BaselineWorld.TRAIN, config, last::set);
        assertEquals(EaseRecommender.fitWork(BaselineWorld.TRAIN, config), last.get());
        ease.close();
        ease.close();
        assertThrows(IllegalStateException.class, () -> ease.recommend(0, 5));
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EaseConfig(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EaseConfig(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new EaseConfig(500, 0));
    }

    @Test
    void beatsRandomOnSyntheticWorld() {
        double random = BaselineWorld.randomNdcg20();
        try (EaseRecommender ease = EaseRecommender.fit(BaselineWorld.TRAIN, EaseConfig.DEFAULT, done -> { })) {
            double ndcg = BaselineWorld.ndcg20(ease);
            assertTrue(ndcg > 3 * random, "EASE NDCG@20 " + ndcg + " vs random " + random);
        }
        assertFalse(BaselineWorld.SPLIT.testUsers() == 0);
    }
}

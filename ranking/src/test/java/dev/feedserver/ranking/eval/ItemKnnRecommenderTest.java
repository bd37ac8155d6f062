package dev.feedserver.ranking.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Interactions;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ItemKnnRecommenderTest {
    /*
     * u0: {0, 1}   u1: {0, 1, 2}   u2: {1, 2}   u3: {2, 3}   u4: {3}
     * users per item: 0 -> 2, 1 -> 3, 2 -> 3, 3 -> 2; popularity order 1, 2, 0, 3
     * cosine: (0,1) = 2/sqrt(2*3), (0,2) = 1/sqrt(2*3), (1,2) = 2/sqrt(3*3), (2,3) = 1/sqrt(3*2),
     *         (0,3) = (1,3) = 0
     */
    private static final TrainMatrix HAND = TrainMatrix.of(hand(), 5, 4);
    private static final float S01 = (float) (2 / Math.sqrt(6));
    private static final float S02 = (float) (1 / Math.sqrt(6));
    private static final float S12 = (float) (2 / Math.sqrt(9));
    private static final float S23 = (float) (1 / Math.sqrt(6));

    private static Interactions hand() {
        Interactions train = new Interactions(16);
        int[][] history = {{0, 1}, {0, 1, 2}, {1, 2}, {2, 3}, {3}};
        for (int u = 0; u < history.length; u++) {
            for (int item : history[u]) {
                train.add(u, item, u);
            }
        }
        train.add(1, 2, 9); // a repeat counts once
        return train;
    }

    @Test
    void similaritiesAreCosinesOverTheBinaryMatrix() {
        ItemKnnRecommender knn = ItemKnnRecommender.fit(HAND, new ItemKnnConfig(100), done -> { });
        assertEquals(S01, knn.similarity(0, 1), 1e-6);
        assertEquals(S01, knn.similarity(1, 0), 1e-6);
        assertEquals(S02, knn.similarity(0, 2), 1e-6);
        assertEquals(S12, knn.similarity(2, 1), 1e-6);
        assertEquals(S23, knn.similarity(3, 2), 1e-6);
        assertEquals(0f, knn.similarity(0, 3));
        assertEquals(0f, knn.similarity(1, 1), "an item is not its own neighbour");
        assertArrayEquals(new int[] {0, 2}, knn.neighboursOf(1));
    }

    @Test
    void neighbourListsKeepTheMostSimilarWithTiesToTheLowerItem() {
        ItemKnnRecommender two = ItemKnnRecommender.fit(HAND, new ItemKnnConfig(2), done -> { });
        // item 2: 1 (2/3), then 0 and 3 tie at 1/sqrt(6): 0 is kept
        assertArrayEquals(new int[] {1, 0}, two.neighboursOf(2));
        ItemKnnRecommender one = ItemKnnRecommender.fit(HAND, new ItemKnnConfig(1), done -> { });
        assertArrayEquals(new int[] {1}, one.neighboursOf(0));
        assertArrayEquals(new int[] {0}, one.neighboursOf(1)); // 2/sqrt(6) > 2/3
        assertArrayEquals(new int[] {2}, one.neighboursOf(3));
    }

    @Test
    void scoresSumSimilaritiesFromTrainItemsThenFillByPopularity() {
        ItemKnnRecommender knn = ItemKnnRecommender.fit(HAND, new ItemKnnConfig(100), done -> { });
        // u0 {0, 1}: item 2 scores S02 + S12, item 3 nothing -> appended by popularity
        assertArrayEquals(new int[] {2, 3}, knn.recommend(0, 10));
        // u4 {3}: only item 2 is a neighbour; popularity alone would put item 1 first
        assertArrayEquals(new int[] {2, 1, 0}, knn.recommend(4, 10));
        assertArrayEquals(new int[] {2}, knn.recommend(4, 1));
        // u3 {2, 3}: item 1 (S12) beats item 0 (S02)
        assertArrayEquals(new int[] {1, 0}, knn.recommend(3, 10));
        ItemKnnRecommender one = ItemKnnRecommender.fit(HAND, new ItemKnnConfig(1), done -> { });
        // with one neighbour per item, u0's items reach only each other: all by popularity
        assertArrayEquals(new int[] {2, 3}, one.recommend(0, 10));
        assertEquals(0, knn.recommend(0, 0).length);
    }

    @Test
    void reportsOneUnitPerItemAndRejectsZeroNeighbours() {
        AtomicLong last = new AtomicLong();
        ItemKnnRecommender.fit(BaselineWorld.TRAIN, new ItemKnnConfig(10), last::set);
        assertEquals(ItemKnnRecommender.fitWork(BaselineWorld.TRAIN), last.get());
        assertThrows(IllegalArgumentException.class, () -> new ItemKnnConfig(0));
    }

    @Test
    void beatsRandomOnSyntheticWorld() {
        double random = BaselineWorld.randomNdcg20();
        double knn = BaselineWorld.ndcg20(ItemKnnRecommender.fit(BaselineWorld.TRAIN, ItemKnnConfig.DEFAULT, done -> { }));
        assertTrue(knn > 3 * random, "item-kNN NDCG@20 " + knn + " vs random " + random);
    }
}

package dev.feedserver.ranking.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.data.Item;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalProtocolTest {

    @Test
    void splitKeepsLastTwentyPercentRoundedUpAndSmallUsersInTrain() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(new Item(Integer.toString(100 - i), "t" + i, "", List.of(), 0));
        }
        Interactions all = new Interactions(16);
        for (int k = 0; k < 6; k++) {
            all.add(0, k, 1000 - k); // user 0: 6 interactions, time decreasing with item number
        }
        all.add(0, 10, 1000); // ties item 0 on time; numeric ids: item 10 is "90" < item 0's "100"
        for (int k = 0; k < 4; k++) {
            all.add(1, k, k);
        }
        TemporalSplit split = TemporalSplit.of(new Dataset("t", List.of("a", "b"), items, all));
        // user 0 has 7 interactions -> ceil(1.4) = 2 test: (1000, "90") then (1000, "100")
        assertArrayEquals(new int[] {10, 0}, split.testByUser()[0]);
        assertEquals(0, split.testByUser()[1].length);
        assertEquals(5 + 4, split.train().size());
        assertEquals(1, split.testUsers());
    }

    @Test
    void recallAndNdcgFollowTheBriefsDefinitions() {
        int[] ranked = {5, 1, 9, 2};
        int[] relevant = {1, 2, 3};
        assertEquals(2.0 / 3.0, RankingMetrics.recall(ranked, relevant, 4), 1e-12);
        assertEquals(1.0 / 2.0, RankingMetrics.recall(ranked, relevant, 2), 1e-12);
        double dcg = 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(5) / Math.log(2));
        double idcg = 1 + 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(4) / Math.log(2));
        assertEquals(dcg / idcg, RankingMetrics.ndcg(ranked, relevant, 4), 1e-12);
        assertEquals(1.0, RankingMetrics.ndcg(new int[] {3, 1}, relevant, 2), 1e-12);
    }

    @Test
    void popularityBaselineSkipsOwnTrainItems() {
        Interactions train = new Interactions(8);
        train.add(0, 0, 1);
        train.add(1, 0, 1);
        train.add(1, 1, 1);
        train.add(2, 2, 1);
        train.add(2, 0, 1);
        PopularityRecommender popularity = new PopularityRecommender(train, 3, 4);
        assertArrayEquals(new int[] {1, 2}, popularity.recommend(0, 5));
        assertArrayEquals(new int[] {1}, popularity.recommend(2, 1));
    }
}

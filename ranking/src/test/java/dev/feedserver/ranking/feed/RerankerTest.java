package dev.feedserver.ranking.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** De-duplication, per-cluster caps and spreading of the final page. */
class RerankerTest {
    private static FeedModel model;
    private static final Map<Integer, List<Integer>> byCluster = new HashMap<>();

    @BeforeAll
    static void build() {
        Dataset world = SyntheticWorld.generate(new SyntheticWorldSpec(5, 200, 400, 8, 20), n -> { });
        Factors factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(16, 4, 0.1f, 10f, 1), n -> { });
        model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT.withClustersAndIndex(6, IndexConfig.DEFAULT),
                UserStoreConfig.forUsers(200), true);
        ItemContent content = new ItemContent(new HashingTextEncoder(64));
        model.useContent(content);
        int[] rows = new int[model.catalog().size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        content.embed(model.catalog(), rows, n -> { });
        for (int item = 0; item < model.catalog().size(); item++) {
            byCluster.computeIfAbsent(model.clusters().clusterOf(item), c -> new ArrayList<>()).add(item);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Slots are the items themselves here: items[slot] = slot. */
    private static int[] identity() {
        int[] items = new int[model.catalog().size() + 8];
        for (int i = 0; i < items.length; i++) {
            items[i] = i;
        }
        return items;
    }

    private static int largestCluster() {
        return byCluster.entrySet().stream().max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).orElseThrow().getKey();
    }

    @Test
    void oneClusterFillsAtMostItsShareWhenOthersAreThere() {
        int big = largestCluster();
        List<Integer> ranked = new ArrayList<>(byCluster.get(big).subList(0, 12));
        for (Map.Entry<Integer, List<Integer>> e : byCluster.entrySet()) {
            if (e.getKey() != big) {
                ranked.addAll(e.getValue().subList(0, Math.min(4, e.getValue().size())));
            }
        }
        int[] order = ranked.stream().mapToInt(Integer::intValue).toArray();
        int[] page = new int[10];
        int n = new Reranker(model, new RerankConfig(0.4f, 1f, false)).select(order, order.length, identity(), 10, page);
        assertEquals(10, n);
        int fromBig = 0;
        for (int i = 0; i < n; i++) {
            fromBig += model.clusters().clusterOf(page[i]) == big ? 1 : 0;
        }
        assertEquals(4, fromBig, "a 40% cap on a 10-item page");
        // Without the cap the page would have been the big cluster's ten best.
        n = new Reranker(model, RerankConfig.SCORE_ORDER).select(order, order.length, identity(), 10, page);
        for (int i = 0; i < n; i++) {
            assertEquals(order[i], page[i], "score order without caps");
        }
    }

    @Test
    void capsGiveWayRatherThanLeaveThePageShort() {
        int big = largestCluster();
        int[] order = byCluster.get(big).stream().limit(12).mapToInt(Integer::intValue).toArray();
        int[] page = new int[10];
        int n = new Reranker(model, new RerankConfig(0.2f, 1f, true)).select(order, order.length, identity(), 10, page);
        assertEquals(10, n, "only one cluster on offer: the page still fills");
    }

    @Test
    void nearDuplicatesAreDroppedByTitleAndByContent() {
        int original = model.upsertItem(new Item("dup-a", "The red lighthouse at dawn", "", List.of("sea"), 1_767_225_600_000L));
        int sameTitle = model.upsertItem(new Item("dup-b", "the red lighthouse at dawn ", "", List.of("sea"), 1_767_225_600_000L));
        int sameWords = model.upsertItem(new Item("dup-c", "The red lighthouse, at dawn!", "", List.of("sea"), 1_767_225_600_000L));
        int other = model.upsertItem(new Item("dup-d", "A quiet mountain village", "", List.of("hills"), 1_767_225_600_000L));
        int[] order = {original, sameTitle, sameWords, other};
        int[] page = new int[4];
        int n = new Reranker(model, new RerankConfig(1f, 0.97f, false)).select(order, 4, identity(), 4, page);
        assertEquals(2, n);
        assertEquals(original, page[0]);
        assertEquals(other, page[1]);
        // At cosine 1.0 only the exact (normalised) title counts.
        n = new Reranker(model, new RerankConfig(1f, 1f, false)).select(order, 4, identity(), 4, page);
        assertEquals(3, n);
    }

    @Test
    void neighboursComeFromDifferentClustersWhereThePageAllows() {
        List<Integer> clusters = new ArrayList<>(byCluster.keySet());
        int a = clusters.get(0);
        int b = clusters.get(1);
        int c = clusters.get(2);
        int[] order = {byCluster.get(a).get(0), byCluster.get(a).get(1), byCluster.get(a).get(2),
                byCluster.get(b).get(0), byCluster.get(b).get(1), byCluster.get(c).get(0)};
        int[] page = new int[6];
        int n = new Reranker(model, new RerankConfig(1f, 1f, true)).select(order, order.length, identity(), 6, page);
        assertEquals(6, n);
        assertEquals(order[0], page[0], "the best item still leads");
        for (int i = 1; i < n; i++) {
            assertTrue(model.clusters().clusterOf(page[i]) != model.clusters().clusterOf(page[i - 1]),
                    "neighbours " + (i - 1) + " and " + i + " share a cluster although the page allows otherwise");
        }
    }
}

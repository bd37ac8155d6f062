package dev.feedserver.ranking.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole feed path on a small synthetic world, trained for real. */
class FeedPipelineTest {
    private static final int TOPICS = 8;
    private static Dataset world;
    private static FeedModel model;
    private static FeedPipeline pipeline;
    private static InteractionApplier applier;

    @BeforeAll
    static void train() {
        world = SyntheticWorld.generate(new SyntheticWorldSpec(3, 400, 800, TOPICS, 30), n -> { });
        Factors factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(24, 6, 0.1f, 10f, 1), n -> { });
        model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT, UserStoreConfig.forUsers(400), true);
        pipeline = new FeedPipeline(model, FeedConfig.DEFAULT);
        applier = new InteractionApplier(model, LearningConfig.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theUserVectorComesFromTheGivenSource() {
        FeedConfig config = FeedConfig.DEFAULT.withRerank(RerankConfig.SCORE_ORDER);
        // A source that knows nobody: the known user gets the cold-start feed.
        FeedResult unknown = new FeedPipeline(model, config, null, null, 5L, (user, dst) -> false).feed("u1", 20);
        assertFalse(unknown.knownUser());
        // A source that answers u2's vector for everyone: u1's feed is ranked as u2's would be.
        float[] u2 = new float[model.dim()];
        assertTrue(model.users().read("u2", u2));
        FeedPipeline borrowed = new FeedPipeline(model, config, null, null, 5L, (user, dst) -> {
            System.arraycopy(u2, 0, dst, 0, u2.length);
            return true;
        });
        FeedResult asU2 = borrowed.feed("u1", 20);
        FeedResult own = new FeedPipeline(model, config, null, null, 5L).feed("u1", 20);
        assertTrue(asU2.knownUser());
        assertFalse(java.util.Arrays.equals(own.items(), asU2.items()), "u1's page follows the vector the source gave");
    }

    @Test
    void knownUserGetsDistinctUnconsumedItemsBestFirst() {
        // Pure score order here; caps and spreading reorder pages (RerankerTest).
        FeedResult feed = new FeedPipeline(model, FeedConfig.DEFAULT.withRerank(RerankConfig.SCORE_ORDER)).feed("u1", 30);
        assertTrue(feed.knownUser());
        assertEquals(30, feed.size());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < feed.size(); i++) {
            assertTrue(seen.add(feed.items()[i]), "duplicate item");
            assertFalse(model.users().consumed().contains(model.users().rowOf("u1"), feed.items()[i]), "consumed item in feed");
            if (i > 0) {
                assertTrue(feed.scores()[i] <= feed.scores()[i - 1]);
            }
        }
        assertTrue(feed.candidates() >= 30);
        assertEquals(Stage.values().length, feed.stageNanos().length);
    }

    @Test
    void unknownUserGetsThePopularColdStartFeed() {
        model.popularity().refresh(); // other tests post events; rank against the live counts
        FeedResult feed = pipeline.feed("never-seen", 10);
        assertFalse(feed.knownUser());
        long[] live = java.util.stream.IntStream.range(0, model.catalog().size())
                .mapToLong(row -> model.catalog().popularity(row)).boxed()
                .sorted(java.util.Comparator.reverseOrder()).mapToLong(Long::longValue).limit(10).toArray();
        for (int i = 0; i < 10; i++) {
            // Equal counts may come in either order; the counts themselves must match rank by rank.
            assertEquals(live[i], model.catalog().popularity(feed.items()[i]));
            assertTrue((feed.sources()[i] & CandidateSource.POPULAR) != 0, "a cold feed leads with popular items");
        }
    }

    @Test
    void clicksOnOneTopicRaiseThatTopicInTheNextFeed() {
        String user = "fresh-user";
        String topic = SyntheticWorld.topicName(5);
        int before = countTopic(pipeline.feed(user, 40), topic);
        int clicked = 0;
        for (int i = 0; i < world.items().size() && clicked < 8; i++) {
            Item item = world.items().get(i);
            if (item.tags().contains(topic)) {
                applier.apply(new Interaction(user, item.id(), EventType.CLICK, 0, 1L));
                clicked++;
            }
        }
        int after = countTopic(pipeline.feed(user, 40), topic);
        assertTrue(after > before + 10, "topic count before " + before + ", after " + after);
    }

    @Test
    void newItemIsRetrievableImmediately() {
        String topic = SyntheticWorld.topicName(2);
        model.upsertItem(new Item("brand-new", "A new " + topic + " story", "", List.of(topic), 5L));
        String fan = "fan-of-" + topic;
        for (int i = 0, clicked = 0; clicked < 6; i++) {
            Item item = world.items().get(i);
            if (item.tags().contains(topic)) {
                applier.apply(new Interaction(fan, item.id(), EventType.LIKE, 0, 1L));
                clicked++;
            }
        }
        FeedResult feed = pipeline.feed(fan, 200);
        int row = model.catalog().rowOf("brand-new");
        boolean found = false;
        for (int item : feed.items()) {
            found |= item == row;
        }
        assertTrue(found, "the new item should be among a topic fan's top 200");
    }

    @Test
    void aBrandNewItemReachesColdFeedsThroughTheFreshSource() {
        int row = model.upsertItem(new Item("just-made", "Just made", "", List.of("misc-new-tag"), System.currentTimeMillis()));
        FeedResult feed = pipeline.feed("somebody-new", 10);
        assertEquals(row, feed.items()[0], "freshness prior puts a brand-new item first for a cold user");
        assertTrue((feed.sources()[0] & CandidateSource.FRESH) != 0,
                "it came through the fresh source: " + CandidateSource.describe(feed.sources()[0]));
    }

    @Test
    void eventsMakeAnItemTrend() {
        Item item = world.items().get(123);
        for (int i = 0; i < 50; i++) {
            applier.apply(new Interaction("fan-" + i, item.id(), EventType.SHARE, 0, System.currentTimeMillis()));
        }
        int row = model.catalog().rowOf(item.id());
        assertEquals(row, model.trending().top(1)[0]);
        FeedResult feed = pipeline.feed("another-newcomer", FeedConfig.DEFAULT.maxLimit());
        boolean trending = false;
        for (int i = 0; i < feed.size(); i++) {
            trending |= feed.items()[i] == row && (feed.sources()[i] & CandidateSource.TRENDING) != 0;
        }
        assertTrue(trending, "the trending item is a candidate from the trending source");
    }

    @Test
    void clicksInOneClusterRaiseThatClustersShareOfClusterCandidates() {
        String user = "cluster-fan";
        String topic = SyntheticWorld.topicName(3);
        int targetCluster = -1;
        for (int i = 0, clicked = 0; clicked < 6; i++) {
            Item item = world.items().get(i);
            if (item.tags().contains(topic)) {
                applier.apply(new Interaction(user, item.id(), EventType.CLICK, 0, 1L));
                targetCluster = model.clusters().clusterOf(model.catalog().rowOf(item.id()));
                clicked++;
            }
        }
        float[] affinity = new float[model.clusters().clusters()];
        assertTrue(model.affinities().read(user, affinity));
        int[] counts = new int[model.clusters().clusters()];
        model.clusters().sample(affinity, 400, 0.1, item -> false, new java.util.SplittableRandom(1),
                item -> counts[model.clusters().clusterOf(item)]++);
        int total = java.util.Arrays.stream(counts).sum();
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            best = counts[c] > counts[best] ? c : best;
        }
        assertTrue(affinity[targetCluster] > 0, "the clicked items' cluster gained affinity");
        assertTrue(counts[best] > 0.25 * total, "one cluster dominates the sample: " + java.util.Arrays.toString(counts));
        assertTrue(total >= 300, "the quota is (nearly) filled: " + total);
    }

    @Test
    void consumedItemsNeverComeBackFromAnySource() {
        String user = "u5";
        int row = model.users().rowOf(user);
        for (int round = 0; round < 3; round++) {
            FeedResult feed = pipeline.feed(user, 50);
            for (int i = 0; i < feed.size(); i++) {
                assertFalse(model.users().consumed().contains(row, feed.items()[i]));
                applier.apply(new Interaction(user, model.catalog().item(feed.items()[i]).id(), EventType.VIEW, 0, 1L));
            }
        }
    }

    @Test
    void limitOutsideRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> pipeline.feed("u1", 0));
        assertThrows(IllegalArgumentException.class, () -> pipeline.feed("u1", FeedConfig.DEFAULT.maxLimit() + 1));
    }

    private static int countTopic(FeedResult feed, String topic) {
        int n = 0;
        for (int i = 0; i < feed.size(); i++) {
            if (model.catalog().item(feed.items()[i]).tags().contains(topic)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void seededPipelinesGiveTheSameFeedsForTheSameRequests() {
        FeedPipeline a = new FeedPipeline(model, FeedConfig.DEFAULT, null, null, 17L);
        FeedPipeline b = new FeedPipeline(model, FeedConfig.DEFAULT, null, null, 17L);
        for (int u = 0; u < 30; u++) {
            String user = "u" + u;
            assertArrayEquals(a.feed(user, 40, null, 1_000L).items(), b.feed(user, 40, null, 1_000L).items(), user);
        }
    }
}

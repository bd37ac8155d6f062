package dev.feedserver.ranking.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.retrieval.IvfInterestIndex;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The feed model's catalogue changes with the IVF interest index: new items are retrievable at
 * once, removed ones never come back, and background rebuilds swap indexes under live traffic.
 */
class FeedModelIndexesTest {
    private static final int TOPICS = 8;

    private static FeedConfig ivfConfig(double rebuildGrowth) {
        return config(new IndexConfig(IndexConfig.Mode.IVF, 0, 0, IvfInterestIndex.Config.defaults().withScanFactor(2f), rebuildGrowth));
    }

    private static FeedConfig config(IndexConfig index) {
        return FeedConfig.DEFAULT.withClustersAndIndex(8, index);
    }

    @Test
    void autoPicksTheIndexByCatalogueSize() {
        IndexConfig auto = new IndexConfig(IndexConfig.Mode.AUTO, 1_000, 10_000, IvfInterestIndex.Config.defaults(), 0.2);
        assertEquals(IndexConfig.Mode.EXACT, auto.modeFor(1_000));
        assertEquals(IndexConfig.Mode.INT8_SCAN, auto.modeFor(1_001));
        assertEquals(IndexConfig.Mode.INT8_SCAN, auto.modeFor(10_000));
        assertEquals(IndexConfig.Mode.IVF, auto.modeFor(10_001));
        World w = world(config(new IndexConfig(IndexConfig.Mode.AUTO, 100, 100_000, IvfInterestIndex.Config.defaults(), 100)));
        try (FeedModel model = w.model()) {
            assertEquals("int8-scan", model.interest().name());
            // the int8 scan of every item finds what the exact scan finds, bar int8 rounding at the edge
            float[] user = new float[model.dim()];
            model.users().read("u1", user);
            dev.feedserver.ranking.retrieval.TopK approx = new dev.feedserver.ranking.retrieval.TopK(300);
            dev.feedserver.ranking.retrieval.TopK exact = new dev.feedserver.ranking.retrieval.TopK(300);
            model.interest().search(user, item -> false, approx);
            new dev.feedserver.ranking.retrieval.ExactInterestIndex(model.catalog().vectors(), model.catalog()::size)
                    .search(user, item -> false, exact);
            int[] a = new int[300];
            int[] e = new int[300];
            approx.drainDescending(a, new float[300]);
            exact.drainDescending(e, new float[300]);
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int id : e) {
                truth.add(id);
            }
            int hits = 0;
            for (int id : a) {
                hits += truth.contains(id) ? 1 : 0;
            }
            assertTrue(hits >= 290, "int8 scan recall@300 " + hits + "/300");
        }
    }

    private record World(Dataset dataset, FeedModel model, FeedPipeline pipeline, InteractionApplier applier) {
    }

    private static World world(FeedConfig config) {
        Dataset dataset = SyntheticWorld.generate(new SyntheticWorldSpec(5, 300, 2_000, TOPICS, 30), n -> { });
        Factors factors = ModelTrainer.train(dataset, dataset.interactions(), new AlsConfig(16, 5, 0.1f, 10f, 1), n -> { });
        FeedModel model = ModelTrainer.build(dataset, dataset.interactions(), factors, config, UserStoreConfig.forUsers(300), true);
        return new World(dataset, model, new FeedPipeline(model, config), new InteractionApplier(model, LearningConfig.DEFAULT));
    }

    @Test
    void newItemsComeFromTheIvfIndexAtOnceAndRemovedItemsFromNothing() {
        World w = world(ivfConfig(100));
        try (FeedModel model = w.model()) {
            assertEquals("ivf-int8", model.interest().name());
            String topic = SyntheticWorld.topicName(3);
            String fan = "fan";
            for (int i = 0, liked = 0; liked < 8; i++) {
                Item item = w.dataset().items().get(i);
                if (item.tags().contains(topic)) {
                    w.applier().apply(new Interaction(fan, item.id(), EventType.LIKE, 0, 1L));
                    liked++;
                }
            }
            int row = model.upsertItem(new Item("new-" + topic, "New", "", List.of(topic), 1L));
            FeedResult feed = w.pipeline().feed(fan, 200);
            int at = indexOf(feed.items(), row);
            assertTrue(at >= 0, "the new item is in the fan's feed");
            assertTrue((feed.sources()[at] & CandidateSource.INTEREST) != 0,
                    "found by interest retrieval: " + CandidateSource.describe(feed.sources()[at]));

            int best = feed.items()[0];
            String bestId = model.catalog().item(best).id();
            assertEquals(best, model.removeItem(bestId));
            assertEquals(-1, model.removeItem(bestId), "already removed");
            for (String user : new String[] {fan, "u1", "u2", "cold-user"}) {
                assertEquals(-1, indexOf(w.pipeline().feed(user, 200).items(), best), "removed item in " + user + "'s feed");
            }
        }
    }

    @Test
    void catalogueGrowthTriggersABackgroundRebuildThatKeepsEverythingRetrievable() throws Exception {
        World w = world(ivfConfig(0.2));
        try (FeedModel model = w.model()) {
            int before = model.catalog().size();
            int clusters = model.clusters().clusters();
            List<Integer> added = new ArrayList<>();
            for (int i = 0; i < before / 4; i++) {
                String topic = SyntheticWorld.topicName(i % TOPICS);
                added.add(model.upsertItem(new Item("grown-" + i, "Grown", "", List.of(topic), 2L)));
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (model.indexRebuilds() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(model.indexRebuilds() >= 1, "a rebuild ran after the catalogue grew by 25%");
            assertEquals(clusters, model.clusters().clusters(), "cluster count (and numbering) is kept");
            assertEquals(model.catalog().size(), IvfInterestIndex.sizeOf(model.interest()), "the rebuilt index holds every item");
            for (int row : added) {
                assertTrue(model.clusters().clusterOf(row) >= 0, "added item " + row + " is clustered");
            }
        }
    }

    @Test
    void feedsStayCorrectWhileItemsChangeAndIndexesAreRebuilt() throws Exception {
        World w = world(ivfConfig(100));
        try (FeedModel model = w.model()) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                int n = 0;
                while (!done.get()) {
                    try {
                        FeedResult feed = w.pipeline().feed("u" + (n++ % 50), 100);
                        for (int item : feed.items()) {
                            if (model.catalog().isRemoved(item) && model.catalog().item(item).id().startsWith("gone-")) {
                                failures.add("removed item " + item + " served");
                            }
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            });
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 300; i++) {
                    String id = "gone-" + round + "-" + i;
                    model.upsertItem(new Item(id, "Temp", "", List.of(SyntheticWorld.topicName(i % TOPICS)), 3L));
                    if (i % 2 == 0) {
                        model.removeItem(id);
                    }
                }
                model.rebuildIndexes();
            }
            done.set(true);
            reader.join();
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            assertEquals(model.catalog().size() - model.catalog().removedCount(), IvfInterestIndex.sizeOf(model.interest()));
            assertEquals(3, model.indexRebuilds());
        }
    }

    private static int indexOf(int[] items, int row) {
        for (int i = 0; i < items.length; i++) {
            if (items[i] == row) {
                return i;
            }
        }
        return -1;
    }
}

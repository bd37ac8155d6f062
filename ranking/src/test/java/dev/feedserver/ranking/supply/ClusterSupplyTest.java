package dev.feedserver.ranking.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.IndexConfig;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Snapshots of a small real model: fresh inventory and engagement per cluster as items and events arrive. */
class ClusterSupplyTest {
    private static final int CLUSTERS = 8;
    /** Long after the synthetic history, which has decayed to nothing by then (so counts are exact). */
    private static final long LATER = SyntheticWorld.EPOCH_END_MILLIS + 1_000L * 24 * 3_600_000;
    private static final SupplyPolicy POLICY = SupplyPolicy.DEFAULT;

    private record World(Dataset dataset, FeedModel model) {
    }

    private static World world() {
        Dataset dataset = SyntheticWorld.generate(new SyntheticWorldSpec(5, 300, 2_000, 8, 30), n -> { });
        Factors factors = ModelTrainer.train(dataset, dataset.interactions(), new AlsConfig(16, 5, 0.1f, 10f, 1), n -> { });
        FeedConfig config = FeedConfig.DEFAULT.withClustersAndIndex(CLUSTERS, IndexConfig.DEFAULT);
        return new World(dataset, ModelTrainer.build(dataset, dataset.interactions(), factors, config,
                UserStoreConfig.forUsers(300), true));
    }

    @Test
    void freshCountsPerClusterMoveAsItemsArePutAndRemoved() {
        World w = world();
        try (FeedModel model = w.model()) {
            ClusterSupplySnapshot before = ClusterSupply.snapshot(model, POLICY, LATER);
            assertEquals(CLUSTERS, before.clusters().size());
            assertEquals(0, sum(before, ClusterSupplySnapshot.Cluster::freshItems), "the synthetic items are all old");
            assertEquals(model.catalog().size(), sum(before, ClusterSupplySnapshot.Cluster::totalItems), "every item counted once");

            int[] expectedFresh = new int[CLUSTERS];
            List<String> putIds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String id = "fresh-" + i;
                int row = model.upsertItem(new Item(id, "Fresh", "", List.of(SyntheticWorld.topicName(i % 4), "generated"),
                        LATER - 3_600_000L));
                expectedFresh[model.clusters().clusterOf(row)]++;
                putIds.add(id);
            }
            int oldRow = model.upsertItem(new Item("old-news", "Old", "", List.of("archive"), LATER - Duration.ofDays(2).toMillis()));
            ClusterSupplySnapshot after = ClusterSupply.snapshot(model, POLICY, LATER);
            for (int c = 0; c < CLUSTERS; c++) {
                assertEquals(expectedFresh[c], after.cluster(c).freshItems(), "fresh items of cluster " + c);
                int oldOne = model.clusters().clusterOf(oldRow) == c ? 1 : 0;
                assertEquals(before.cluster(c).totalItems() + expectedFresh[c] + oldOne, after.cluster(c).totalItems(),
                        "items of cluster " + c);
            }

            int gone = model.removeItem(putIds.getFirst());
            int goneCluster = model.clusters().clusterOf(gone);
            expectedFresh[goneCluster]--;
            ClusterSupplySnapshot removed = ClusterSupply.snapshot(model, POLICY, LATER);
            for (int c = 0; c < CLUSTERS; c++) {
                assertEquals(expectedFresh[c], removed.cluster(c).freshItems(), "fresh items of cluster " + c + " after a removal");
            }
            assertEquals(after.cluster(goneCluster).totalItems() - 1, removed.cluster(goneCluster).totalItems());

            // An hour past the window, the new items are no longer fresh.
            ClusterSupplySnapshot stale = ClusterSupply.snapshot(model, POLICY, LATER + POLICY.freshWindow().toMillis());
            assertEquals(0, sum(stale, ClusterSupplySnapshot.Cluster::freshItems));

            for (int c = 0; c < CLUSTERS; c++) {
                assertEquals(mostFrequentTags(model, c), removed.cluster(c).dominantTags(), "dominant tags of cluster " + c);
            }
        }
    }

    @Test
    void engagementTotalsAreExactUnderConcurrentEventsAndSnapshots() throws Exception {
        World w = world();
        try (FeedModel model = w.model()) {
            InteractionApplier applier = new InteractionApplier(model, LearningConfig.DEFAULT);
            EventType[] types = {EventType.LIKE, EventType.CLICK, EventType.VIEW, EventType.VIEW, EventType.SKIP, EventType.DWELL};
            int threads = 4;
            int perThread = 3_000;
            List<List<Interaction>> batches = new ArrayList<>();
            double[] positives = new double[CLUSTERS];
            double[] exposures = new double[CLUSTERS];
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(t);
                List<Interaction> events = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    Item item = w.dataset().items().get(random.nextInt(w.dataset().items().size()));
                    EventType type = types[random.nextInt(types.length)];
                    // A dwell of a second is below the significant dwell: a view, not a positive.
                    long dwell = type == EventType.DWELL ? (random.nextBoolean() ? 1_000 : 60_000) : 0;
                    String user = w.dataset().userIds().get(random.nextInt(w.dataset().userIds().size()));
                    Interaction event = new Interaction(user, item.id(), type, dwell, LATER);
                    events.add(event);
                    int cluster = model.clusters().clusterOf(model.catalog().rowOf(item.id()));
                    exposures[cluster]++;
                    if (type.weight(dwell, LearningConfig.DEFAULT.significantDwellMillis()) > 0) {
                        positives[cluster]++;
                    }
                }
                batches.add(events);
            }

            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread observer = Thread.ofPlatform().start(() -> {
                double last = 0;
                while (!done.get()) {
                    try {
                        double total = ClusterSupply.snapshot(model, POLICY, LATER).clusters().stream()
                                .mapToDouble(ClusterSupplySnapshot.Cluster::exposures).sum();
                        if (total < last) {
                            failures.add("exposures went back from " + last + " to " + total);
                        }
                        last = total;
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            });
            List<Thread> writers = new ArrayList<>();
            for (List<Interaction> events : batches) {
                writers.add(Thread.ofPlatform().start(() -> {
                    for (Interaction event : events) {
                        applier.applyAll(List.of(event));
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            done.set(true);
            observer.join();
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());

            ClusterSupplySnapshot snapshot = ClusterSupply.snapshot(model, POLICY, LATER);
            double allPositives = 0;
            double allExposures = 0;
            for (int c = 0; c < CLUSTERS; c++) {
                ClusterSupplySnapshot.Cluster cluster = snapshot.cluster(c);
                assertEquals(positives[c], cluster.positives(), "positives of cluster " + c);
                assertEquals(exposures[c], cluster.exposures(), "exposures of cluster " + c);
                allPositives += positives[c];
                allExposures += exposures[c];
            }
            assertEquals(threads * perThread, allExposures);
            double overall = allPositives / allExposures;
            assertEquals(overall, snapshot.overallRate(), 1e-12);
            for (int c = 0; c < CLUSTERS; c++) {
                double prior = POLICY.priorExposures();
                assertEquals((positives[c] + prior * overall) / (exposures[c] + prior), snapshot.cluster(c).engagementRate(), 1e-12,
                        "smoothed rate of cluster " + c);
            }

            // A rebuild may move items between clusters; their counts follow them, and none is lost.
            model.rebuildIndexes();
            ClusterSupplySnapshot rebuilt = ClusterSupply.snapshot(model, POLICY, LATER);
            double[] moved = new double[CLUSTERS];
            for (Item item : w.dataset().items()) {
                int row = model.catalog().rowOf(item.id());
                moved[model.clusters().clusterOf(row)] += countsOf(batches, item.id());
            }
            for (int c = 0; c < CLUSTERS; c++) {
                assertEquals(moved[c], rebuilt.cluster(c).exposures(), "exposures of cluster " + c + " after the rebuild");
            }
        }
    }

    @Test
    void aPlannerOnARealSnapshotFilesForTheClusterThatIsEngagedAndStarved() {
        World w = world();
        try (FeedModel model = w.model()) {
            InteractionApplier applier = new InteractionApplier(model, LearningConfig.DEFAULT);
            // Every cluster is seen equally; cluster 0's items are liked, the others' only viewed.
            Map<Integer, Integer> seen = new HashMap<>();
            for (Item item : w.dataset().items()) {
                int cluster = model.clusters().clusterOf(model.catalog().rowOf(item.id()));
                if (seen.merge(cluster, 1, Integer::sum) <= 20) {
                    EventType type = cluster == 0 ? EventType.LIKE : EventType.VIEW;
                    applier.applyAll(List.of(new Interaction("u1", item.id(), type, 0, LATER)));
                }
            }
            ClusterSupplySnapshot snapshot = ClusterSupply.snapshot(model, POLICY, LATER);
            List<SupplyRequest> requests = new SupplyPlanner(POLICY).plan(snapshot, java.util.Set.of(), LATER);
            assertEquals(List.of(0), requests.stream().map(SupplyRequest::clusterId).toList());
            assertEquals(snapshot.cluster(0).dominantTags(), requests.getFirst().tags());

            // Saturate cluster 0 with fresh items like its own: nothing is filed for it any more.
            int filled = 0;
            for (int i = 0; filled < POLICY.freshTarget(); i++) {
                List<String> tags = snapshot.cluster(0).dominantTags();
                int row = model.upsertItem(new Item("more-" + i, "More", "", tags, LATER - 60_000));
                filled += model.clusters().clusterOf(row) == 0 ? 1 : 0;
                assertTrue(i < 2_000, "cluster 0 never took a new item");
            }
            ClusterSupplySnapshot saturated = ClusterSupply.snapshot(model, POLICY, LATER);
            assertTrue(saturated.cluster(0).freshItems() >= POLICY.freshTarget());
            assertEquals(List.of(), new SupplyPlanner(POLICY).plan(saturated, java.util.Set.of(), LATER).stream()
                    .filter(r -> r.clusterId() == 0).toList());
        }
    }

    private static int countsOf(List<List<Interaction>> batches, String itemId) {
        int n = 0;
        for (List<Interaction> events : batches) {
            for (Interaction event : events) {
                n += event.itemId().equals(itemId) ? 1 : 0;
            }
        }
        return n;
    }

    private static int sum(ClusterSupplySnapshot snapshot, java.util.function.ToIntFunction<ClusterSupplySnapshot.Cluster> f) {
        return snapshot.clusters().stream().mapToInt(f).sum();
    }

    /** The reference: count every live member's tags by brute force, take the top three (ties by name). */
    private static List<String> mostFrequentTags(FeedModel model, int cluster) {
        Map<String, Integer> counts = new HashMap<>();
        for (int row = 0; row < model.catalog().size(); row++) {
            if (!model.catalog().isRemoved(row) && model.clusters().clusterOf(row) == cluster) {
                for (String tag : model.catalog().item(row).tags()) {
                    counts.merge(tag, 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3).map(Map.Entry::getKey).toList();
    }
}

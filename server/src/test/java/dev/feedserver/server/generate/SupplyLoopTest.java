package dev.feedserver.server.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.scheduler.ModelScheduler;
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
import dev.feedserver.ranking.supply.ClusterSupply;
import dev.feedserver.ranking.supply.ClusterSupplySnapshot;
import dev.feedserver.ranking.supply.SupplyPlanner;
import dev.feedserver.ranking.supply.SupplyPolicy;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed on a real feed model: the supply loop files jobs for engaged clusters without
 * fresh content and none for a saturated one; finished jobs become catalogue items that count as
 * fresh supply in the next round.
 */
class SupplyLoopTest {

    private static final int CLUSTERS = 8;

    @TempDir
    Path dir;

    @Test
    void jobsGoToUnderSuppliedClustersAndTheirItemsBecomeFreshSupply() throws Exception {
        Dataset dataset = SyntheticWorld.generate(new SyntheticWorldSpec(5, 300, 2_000, 8, 30), n -> { });
        Factors factors = ModelTrainer.train(dataset, dataset.interactions(), new AlsConfig(16, 5, 0.1f, 10f, 1), n -> { });
        FeedConfig config = FeedConfig.DEFAULT.withClustersAndIndex(CLUSTERS, IndexConfig.DEFAULT);
        SupplyPolicy policy = new SupplyPolicy(100, 0.0, 0.0, 5, CLUSTERS, Duration.ofDays(1),
                SupplyPolicy.DEFAULT.engagementWindow(), 20);
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        ModelScheduler scheduler = TestGeneration.scheduler(false); // started below, once both rounds ran
        try (FeedModel model = ModelTrainer.build(dataset, dataset.interactions(), factors, config,
                UserStoreConfig.forUsers(300), true)) {
            // Live engagement: users like items of every cluster, views of others (history has decayed by now).
            long now = System.currentTimeMillis();
            InteractionApplier applier = new InteractionApplier(model, LearningConfig.DEFAULT);
            java.util.SplittableRandom random = new java.util.SplittableRandom(3);
            for (int i = 0; i < 2_000; i++) {
                String item = model.catalog().item(random.nextInt(model.catalog().size())).id();
                EventType type = random.nextInt(3) == 0 ? EventType.LIKE : EventType.VIEW;
                applier.applyAll(List.of(new Interaction("u" + random.nextInt(300), item, type, 0, now)));
            }
            // Saturate the most engaged cluster with fresh items carrying its own tags.
            ClusterSupplySnapshot before = ClusterSupply.snapshot(model, policy, now);
            ClusterSupplySnapshot.Cluster saturated = before.clusters().stream()
                    .filter(c -> c.exposures() > 0)
                    .max(java.util.Comparator.comparingDouble(ClusterSupplySnapshot.Cluster::engagementRate)).orElseThrow();
            int placed = 0;
            for (int i = 0; placed < 12 && i < 400; i++) {
                int row = model.upsertItem(new Item("seed-" + i, "Seed", "", saturated.dominantTags(), now));
                if (model.clusters().clusterOf(row) != saturated.id()) {
                    model.removeItem("seed-" + i);
                } else {
                    placed++;
                }
            }
            assertTrue(placed >= policy.freshTarget(), "placed " + placed + " fresh items in cluster " + saturated.id());

            CataloguePublisher publisher = job -> {
                Item item = new Item(JournalPublisher.itemId(job.id()), job.stage("title").output().text(),
                        job.stage("story").output().text(), job.brief().tags(), System.currentTimeMillis());
                model.upsertItem(item);
                return item.id();
            };
            GenerationJobs jobs = TestGeneration.jobs(dir, scheduler, callbacks, publisher, 16, new AtomicInteger());
            SupplyLoop loop = new SupplyLoop(jobs, () -> model, new SupplyPlanner(policy), ContentFormat.STORY,
                    Duration.ofHours(1), System::currentTimeMillis);

            List<String> filed = loop.runOnce();
            assertFalse(filed.isEmpty(), "engaged clusters without fresh content get jobs");
            Set<Integer> clusters = new HashSet<>();
            for (String id : filed) {
                StoredJob job = jobs.get(id);
                int cluster = job.job().brief().clusterId();
                assertTrue(cluster >= 0 && clusters.add(cluster), "one job per cluster, each naming its cluster");
                assertTrue(cluster != saturated.id(), "no job for the saturated cluster " + saturated.id());
                assertEquals(before.cluster(cluster).dominantTags().stream().map(t -> t.replaceAll("[^\\p{L}\\p{N}-]+", "-"))
                        .toList(), job.job().brief().tags(), "the brief carries its cluster's tags");
            }
            assertEquals(clusters, jobs.pendingClusters());
            assertEquals(List.of(), loop.runOnce(), "clusters with a pending job get no second one");
            scheduler.start();

            for (String id : filed) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (jobs.get(id).itemId() == null && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(JobState.SUCCEEDED, jobs.get(id).job().state());
                assertTrue(model.catalog().rowOf(jobs.get(id).itemId()) >= 0, "the job's item is in the catalogue");
            }
            ClusterSupplySnapshot after = ClusterSupply.snapshot(model, policy, System.currentTimeMillis());
            int freshBefore = before.clusters().stream().mapToInt(ClusterSupplySnapshot.Cluster::freshItems).sum() + placed;
            int freshAfter = after.clusters().stream().mapToInt(ClusterSupplySnapshot.Cluster::freshItems).sum();
            assertEquals(freshBefore + filed.size(), freshAfter, "every generated item counts as fresh supply");
        } finally {
            scheduler.close();
            callbacks.shutdown();
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}

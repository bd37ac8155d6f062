package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserProfiles;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint plus the log after it rebuilds exactly the model that kept running. */
class ModelCheckpointTest {
    private static final Dataset WORLD = SyntheticWorld.generate(new SyntheticWorldSpec(6, 200, 500, 6, 20), n -> { });
    private static final Factors FACTORS = ModelTrainer.train(WORLD, WORLD.interactions(), new AlsConfig(16, 4, 0.1f, 10f, 1), n -> { });

    @TempDir
    Path dir;

    private static FeedModel freshModel() {
        return ModelTrainer.build(WORLD, WORLD.interactions(), FACTORS, FeedConfig.DEFAULT, UserStoreConfig.forUsers(400), true);
    }

    private static void changes(ChangeJournal journal, SplittableRandom random, List<String> users, int batches, String tag)
            throws IOException {
        for (int b = 0; b < batches; b++) {
            if (b % 7 == 0) {
                journal.putItem(new Item(tag + "-item-" + b, "Put " + b, "", List.of(SyntheticWorld.topicName(b % 6)), 100L + b));
            }
            if (b % 11 == 5) {
                journal.removeItem(WORLD.items().get(random.nextInt(500)).id());
            }
            List<Interaction> batch = new ArrayList<>();
            for (int e = 0; e < 4; e++) {
                String user = random.nextInt(3) == 0 ? tag + "-user-" + random.nextInt(20) : "u" + random.nextInt(200);
                String item = WORLD.items().get(random.nextInt(500)).id();
                EventType type = EventType.values()[random.nextInt(EventType.values().length)];
                batch.add(new Interaction(user, item, type, type == EventType.DWELL ? 8_000 : 0, 5_000L + b * 10L + e));
            }
            try {
                journal.submitEvents(batch);
                batch.forEach(event -> users.add(event.userId()));
            } catch (IllegalArgumentException removedItem) {
                // an event on an item removed above: the journal refused the whole batch before logging it
            }
        }
    }

    private static void assertSameState(FeedModel live, FeedModel restored, List<String> users) {
        float[] a = new float[live.dim()];
        float[] b = new float[live.dim()];
        for (String user : users) {
            assertTrue(live.users().read(user, a) && restored.users().read(user, b), user);
            assertArrayEquals(a, b, "vector of " + user);
            assertEquals(live.users().meta(user).interactions(), restored.users().meta(user).interactions(), "count of " + user);
            int row = live.users().rowOf(user);
            assertEquals(row, restored.users().rowOf(user));
            assertArrayEquals(live.users().consumed().itemsInOrder(row), restored.users().consumed().itemsInOrder(row), "consumed of " + user);
            int[] ra = new int[UserProfiles.RECENT_ITEMS];
            int[] rb = new int[UserProfiles.RECENT_ITEMS];
            assertEquals(live.users().recent().newestFirst(row, ra), restored.users().recent().newestFirst(row, rb));
            assertArrayEquals(ra, rb, "recent of " + user);
            float[] affinityA = new float[live.clusters().clusters()];
            float[] affinityB = new float[live.clusters().clusters()];
            assertEquals(live.affinities().read(user, affinityA), restored.affinities().read(user, affinityB));
            assertArrayEquals(affinityA, affinityB, "affinity of " + user);
        }
        assertEquals(live.catalog().size(), restored.catalog().size());
        assertEquals(live.catalog().removedCount(), restored.catalog().removedCount());
        for (int row = 0; row < live.catalog().size(); row++) {
            assertEquals(live.catalog().isRemoved(row), restored.catalog().isRemoved(row), "removed " + row);
            assertEquals(live.catalog().item(row), restored.catalog().item(row), "item " + row);
            assertEquals(live.catalog().popularity(row), restored.catalog().popularity(row), "popularity " + row);
            assertEquals(live.trending().score(row, 10_000L), restored.trending().score(row, 10_000L), 1e-9, "trending " + row);
            float[] liveCounters = new float[dev.feedserver.ranking.catalog.ItemStatistics.COUNTERS];
            float[] restoredCounters = new float[dev.feedserver.ranking.catalog.ItemStatistics.COUNTERS];
            live.statistics().read(row, 20_000L, liveCounters, 0);
            restored.statistics().read(row, 20_000L, restoredCounters, 0);
            assertArrayEquals(liveCounters, restoredCounters, "item statistics " + row);
            live.catalog().vectors().read(row, a);
            restored.catalog().vectors().read(row, b);
            assertArrayEquals(a, b, "item vector " + row);
        }
        assertArrayEquals(live.clusters().centroids(), restored.clusters().centroids());
    }

    @Test
    void checkpointPlusLogTailEqualsTheLiveModelAndDamageFallsBack() throws Exception {
        Path logDir = dir.resolve("events");
        Path checkpoints = dir.resolve("checkpoints");
        SplittableRandom random = new SplittableRandom(4);
        List<String> users = new ArrayList<>();
        try (FeedModel live = freshModel();
             EventLog log = EventLog.open(logDir, Durability.NONE, 4096, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            changes(journal, random, users, 40, "a");
            Path first = journal.checkpoint(checkpoints);
            changes(journal, random, users, 40, "b");
            Path second = journal.checkpoint(checkpoints);
            changes(journal, random, users, 40, "c");
            assertTrue(log.firstSequence() > 1, "segments the first checkpoint covers were deleted");
            assertEquals(List.of(first, second), ChangeJournal.checkpoints(checkpoints));

            try (FeedModel restored = freshModel();
                 EventLog reopened = EventLog.open(logDir, Durability.NONE, 4096, Duration.ofMillis(50))) {
                ChangeJournal.RecoveryResult result = new ChangeJournal(restored,
                        new InteractionApplier(restored, LearningConfig.DEFAULT), reopened).recover(checkpoints);
                assertEquals(second, result.checkpoint());
                assertTrue(result.replay().records() > 0, "the tail after the checkpoint was replayed");
                assertSameState(live, restored, users);
            }

            // damage the newest checkpoint: recovery falls back to the older one plus a longer tail
            try (FileChannel channel = FileChannel.open(second, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
                channel.read(one, 100);
                one.put(0, (byte) (one.get(0) ^ 1)).rewind();
                channel.write(one, 100);
            }
            assertThrows(IOException.class, () -> ModelCheckpoint.validate(second));
            try (FeedModel restored = freshModel();
                 EventLog reopened = EventLog.open(logDir, Durability.NONE, 4096, Duration.ofMillis(50))) {
                ChangeJournal.RecoveryResult result = new ChangeJournal(restored,
                        new InteractionApplier(restored, LearningConfig.DEFAULT), reopened).recover(checkpoints);
                assertEquals(first, result.checkpoint());
                assertSameState(live, restored, users);
            }

            // with both damaged, the log no longer reaches back to sequence 1: refuse loudly
            Files.write(first, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            try (FeedModel restored = freshModel();
                 EventLog reopened = EventLog.open(logDir, Durability.NONE, 4096, Duration.ofMillis(50))) {
                LogCorruptException e = assertThrows(LogCorruptException.class, () -> new ChangeJournal(restored,
                        new InteractionApplier(restored, LearningConfig.DEFAULT), reopened).recover(checkpoints));
                assertNotNull(e.getMessage());
            }
        }
    }
}

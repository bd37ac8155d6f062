package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.feedserver.ranking.users.UserStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying the journal over a freshly built model reproduces the live model exactly. */
class ChangeJournalTest {
    @TempDir
    Path dir;

    private static final Dataset WORLD = SyntheticWorld.generate(new SyntheticWorldSpec(4, 200, 600, 6, 20), n -> { });
    private static final Factors FACTORS = ModelTrainer.train(WORLD, WORLD.interactions(), new AlsConfig(16, 4, 0.1f, 10f, 1), n -> { });

    private static FeedModel freshModel() {
        return ModelTrainer.build(WORLD, WORLD.interactions(), FACTORS, FeedConfig.DEFAULT, UserStoreConfig.forUsers(400), true);
    }

    @Test
    void replayRebuildsTheSameUsersItemsAndCounters() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        List<String> users = new ArrayList<>();
        FeedModel live = freshModel();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 8192, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            journal.putItem(new Item("put-1", "Put", "", List.of(SyntheticWorld.topicName(1)), 10L));
            for (int b = 0; b < 60; b++) {
                List<Interaction> batch = new ArrayList<>();
                for (int e = 0; e < 5; e++) {
                    String user = random.nextInt(4) == 0 ? "new-" + random.nextInt(30) : "u" + random.nextInt(200);
                    users.add(user);
                    String item = b > 10 && e == 0 ? "put-1" : WORLD.items().get(random.nextInt(600)).id();
                    EventType type = EventType.values()[random.nextInt(EventType.values().length)];
                    batch.add(new Interaction(user, item, type, type == EventType.DWELL ? 9_000 : 0, 1_000L + b));
                }
                journal.submitEvents(batch);
                if (b == 30) {
                    journal.removeItem(WORLD.items().get(7).id());
                }
            }
            assertEquals(-1, journal.removeItem("no-such-item"), "nothing logged for an absent item");
        }

        FeedModel rebuilt = freshModel();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 8192, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(rebuilt, new InteractionApplier(rebuilt, LearningConfig.DEFAULT), log);
            ChangeJournal.ReplayResult result = journal.replay();
            assertEquals(62, result.records(), "1 put + 60 batches + 1 removal");
            assertEquals(300, result.events());
            assertEquals(0, result.skippedEvents());
        }
        float[] a = new float[live.dim()];
        float[] b = new float[live.dim()];
        for (String user : users) {
            assertTrue(live.users().read(user, a) && rebuilt.users().read(user, b), user);
            assertArrayEquals(a, b, "vector of " + user);
            assertEquals(live.users().meta(user).interactions(), rebuilt.users().meta(user).interactions(), "count of " + user);
            assertEquals(live.users().consumed().count(live.users().rowOf(user)),
                    rebuilt.users().consumed().count(rebuilt.users().rowOf(user)), "consumed of " + user);
        }
        assertEquals(live.catalog().size(), rebuilt.catalog().size());
        assertEquals(-1, rebuilt.catalog().rowOf(WORLD.items().get(7).id()), "removal replayed");
        int put = rebuilt.catalog().rowOf("put-1");
        assertTrue(put >= 0, "put replayed");
        assertEquals(live.catalog().popularity(put), rebuilt.catalog().popularity(put));
        assertEquals(live.trending().score(put, 100_000L), rebuilt.trending().score(put, 100_000L), 1e-9);
        live.close();
        rebuilt.close();
    }

    @Test
    void aChangeTheLogCannotTakeIsNotAppliedAndWritesResumeWhenTheDiskDoes() throws Exception {
        FeedModel live = freshModel();
        FaultInjectingChannels disk = new FaultInjectingChannels();
        String item = WORLD.items().get(3).id();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50), disk)) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            journal.submitEvents(List.of(new Interaction("du1", item, EventType.CLICK, 0, 1L)));
            long before = live.users().meta("du1").interactions();
            long popularity = live.catalog().popularity(3);

            disk.failWrites(true); // the disk fills up
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> journal.submitEvents(List.of(new Interaction("du1", item, EventType.LIKE, 0, 2L))));
            assertEquals(before, live.users().meta("du1").interactions(), "nothing of the refused batch was applied");
            assertEquals(popularity, live.catalog().popularity(3));
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> journal.putItem(new Item("refused", "Refused", "", List.of("x"), 1L)));
            assertEquals(-1, live.catalog().rowOf("refused"), "a refused put is not applied either");

            disk.failWrites(false); // space again: the same journal takes writes, no reopen
            journal.submitEvents(List.of(new Interaction("du2", WORLD.items().get(4).id(), EventType.CLICK, 0, 3L)));
        }
        FeedModel rebuilt = freshModel();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(rebuilt, new InteractionApplier(rebuilt, LearningConfig.DEFAULT), log);
            assertEquals(2, journal.replay().records(), "both acknowledged batches, not the refused ones");
            assertEquals(1, rebuilt.users().meta("du1").interactions());
            assertEquals(1, rebuilt.users().meta("du2").interactions());
        }
        live.close();
        rebuilt.close();
    }

    @Test
    void aBatchWhoseFsyncFailedIsNotAcknowledgedAndAKeyedRetryDoesNotApplyItTwice() throws Exception {
        FeedModel live = freshModel();
        FaultInjectingChannels disk = new FaultInjectingChannels();
        String item = WORLD.items().get(5).id();
        List<Interaction> batch = List.of(new Interaction("retried", item, EventType.CLICK, 0, 2L));
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50), disk)) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            journal.submitEvents(List.of(new Interaction("acked", item, EventType.CLICK, 0, 1L)), "k-acked");
            disk.failForce(true);
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> journal.submitEvents(batch, "k-retried"));
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> journal.submitEvents(batch, "k-retried"),
                    "a retry while fsync still fails is refused too");
            disk.failForce(false);
            ChangeJournal.Submitted retry = journal.submitEvents(batch, "k-retried");
            assertTrue(retry.duplicate(), "the first attempt was applied, so the retry is a duplicate");
            assertEquals(1, retry.accepted());
            assertEquals(1, live.users().meta("retried").interactions(), "applied once");
        }
        FeedModel rebuilt = freshModel();
        try (EventLog log = EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(rebuilt, new InteractionApplier(rebuilt, LearningConfig.DEFAULT), log);
            journal.replay();
            assertEquals(1, rebuilt.users().meta("acked").interactions(), "the acknowledged batch survived");
            assertEquals(1, rebuilt.users().meta("retried").interactions(), "the 503 batch was made durable once");
            assertTrue(journal.submitEvents(batch, "k-retried").duplicate(), "replay rebuilt the key window");
        }
        live.close();
        rebuilt.close();
    }

    @Test
    void keysBeforeACheckpointSurviveARestartThroughItsKeysFile() throws Exception {
        FeedModel live = freshModel();
        Path logDir = dir.resolve("log");
        Path checkpoints = dir.resolve("checkpoints");
        String item = WORLD.items().get(6).id();
        try (EventLog log = EventLog.open(logDir, Durability.FSYNC, 4096, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            for (int b = 0; b < 100; b++) {
                journal.submitEvents(List.of(new Interaction("k" + b, item, EventType.CLICK, 0, 1L + b)), "batch-" + b);
            }
            journal.checkpoint(checkpoints);
            journal.submitEvents(List.of(new Interaction("k-after", item, EventType.CLICK, 0, 99L)), "batch-after");
            journal.checkpoint(checkpoints); // the first checkpoint's segments go
        }
        assertTrue(EventLog.firstSequenceOf(EventLog.segments(logDir).getFirst()) > 1, "the log no longer holds the early keyed batches");
        FeedModel rebuilt = freshModel();
        try (EventLog log = EventLog.open(logDir, Durability.FSYNC, 4096, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(rebuilt, new InteractionApplier(rebuilt, LearningConfig.DEFAULT), log);
            journal.recover(checkpoints);
            assertEquals(101, journal.batchKeys().size());
            ChangeJournal.Submitted retry = journal.submitEvents(List.of(new Interaction("k0", item, EventType.CLICK, 0, 1L)), "batch-0");
            assertTrue(retry.duplicate());
            assertEquals(1, rebuilt.users().meta("k0").interactions(), "not applied twice after the restart");
        }
        live.close();
        rebuilt.close();
    }

    @Test
    void aBatchNamingARemovedItemIsRefusedWholeBeforeItIsLogged() throws Exception {
        FeedModel live = freshModel();
        try (EventLog log = EventLog.open(dir, Durability.NONE, 1 << 20, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(live, new InteractionApplier(live, LearningConfig.DEFAULT), log);
            String kept = WORLD.items().get(5).id();
            String removed = WORLD.items().get(6).id();
            journal.removeItem(removed);
            long before = log.nextSequence();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> journal.submitEvents(List.of(
                    new Interaction("race-user", kept, EventType.CLICK, 0, 1L),
                    new Interaction("race-user", removed, EventType.CLICK, 0, 2L))));
            assertEquals(before, log.nextSequence(), "nothing logged");
            assertEquals(null, live.users().meta("race-user"), "nothing applied, not even the first event");
        }
        live.close();
    }
}

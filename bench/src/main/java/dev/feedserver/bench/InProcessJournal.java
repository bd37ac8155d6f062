package dev.feedserver.bench;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.durability.Durability;
import dev.feedserver.ranking.durability.EventLog;
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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's write path without HTTP, for faults only an injected channel can provoke (a
 * failing fsync): a small trained synthetic world, its model, and a {@link ChangeJournal} over
 * an {@link EventLog} in {@link Durability#FSYNC} mode, the server's default. An
 * {@link IOException} from {@code submitEvents} is what {@code POST /v1/events} answers with
 * 503 {@code event_log_unavailable}. Owns the model and the log: {@link #close} releases both.
 * One thread at a time.
 */
final class InProcessJournal implements AutoCloseable {
    private static Dataset world;
    private static Factors factors;

    private final FeedModel model;
    private final EventLog log;
    private final ChangeJournal journal;

    private InProcessJournal(FeedModel model, EventLog log) {
        this.model = model;
        this.log = log;
        this.journal = new ChangeJournal(model, new InteractionApplier(model, LearningConfig.DEFAULT), log);
    }

    /** A fresh model over the log in {@code dir} (opened through {@code channels}), with the log replayed. */
    static InProcessJournal open(Path dir, EventLog.SegmentChannels channels) throws IOException {
        synchronized (InProcessJournal.class) {
            if (world == null) {
                world = SyntheticWorld.generate(new SyntheticWorldSpec(4, 200, 600, 6, 20), n -> { });
                factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(16, 4, 0.1f, 10f, 1), n -> { });
            }
        }
        FeedModel model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT, UserStoreConfig.forUsers(4_000), true);
        InProcessJournal opened = new InProcessJournal(model, EventLog.open(dir, Durability.FSYNC, 1 << 20, Duration.ofMillis(50), channels));
        opened.journal.replay();
        return opened;
    }

    ChangeJournal journal() {
        return journal;
    }

    /** Batch {@code b} of tag {@code t}: one click per user {@code t-b-e}. */
    List<Interaction> batch(String tag, int b, int size) {
        List<Interaction> events = new ArrayList<>(size);
        for (int e = 0; e < size; e++) {
            events.add(new Interaction(FaultBatches.user(tag, b, e), world.items().get(e % world.items().size()).id(), EventType.CLICK, 0, 1_000L + b));
        }
        return events;
    }

    /** The user's interaction count, or -1 when the user is unknown. */
    long interactions(String user) {
        var meta = model.users().meta(user);
        return meta == null ? -1 : meta.interactions();
    }

    /** How many of {@code batches} the model holds exactly once. */
    int presentOnce(String tag, List<Integer> batches, int size) {
        int present = 0;
        for (int b : batches) {
            boolean once = true;
            for (int e = 0; e < size; e++) {
                once &= interactions(FaultBatches.user(tag, b, e)) == 1;
            }
            present += once ? 1 : 0;
        }
        return present;
    }

    @Override
    public void close() throws IOException {
        try {
            log.close();
        } finally {
            model.close();
        }
    }
}

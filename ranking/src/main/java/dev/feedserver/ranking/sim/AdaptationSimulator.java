package dev.feedserver.ranking.sim;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * How fast the feed follows a user whose interests change. Synthetic users (from the same
 * click-model world the server trains on) switch at a known moment to a topic they never
 * favoured; from then on a hidden preference decides what they click: each session they look at
 * their feed (first the top 20, then further down to 200 items) and click the first item they
 * like, an item of the new topic with probability {@code clickNew}, any other with
 * {@code clickOther}. Before each session the simulator measures the share of the top 20 that is
 * on the new topic, and records after how many clicks it first reaches one half.
 *
 * <p>Two modes over the same trained world: {@link Mode#REALTIME} applies every click to the
 * live model at once (the server's behaviour, drift 0.10); {@link Mode#BATCH} updates only the
 * consumed filter and counters live and refreshes user vectors by retraining ALS on the whole
 * history plus the new clicks every {@code retrainEvery} sessions (the usual nightly-job
 * architecture, compressed in time). Sessions run in rounds: every active user has one session
 * per round.
 *
 * <p>Stateless between runs; {@link #run} is single-threaded apart from ALS training.
 */
public final class AdaptationSimulator {
    /** Update policy under test. */
    public enum Mode {
        REALTIME,
        BATCH
    }

    /**
     * @param world         the synthetic world (users, items, topics, history)
     * @param als           ALS settings for the initial training and every batch retrain
     * @param feed          feed settings of the real-time mode (the batch mode turns the short-term interest off)
     * @param learning      learning settings of the real-time mode (the batch mode has no drift)
     * @param simulatedUsers users whose interests shift
     * @param maxSessions   sessions per user before giving up
     * @param retrainEvery  sessions between batch retrains in {@link Mode#BATCH}
     * @param clickNew      probability of clicking a new-topic item on sight
     * @param clickOther    probability of clicking any other item on sight
     * @param seed          seed of the simulated behaviour
     */
    public record Config(SyntheticWorldSpec world, AlsConfig als, FeedConfig feed, LearningConfig learning, int simulatedUsers, int maxSessions,
                         int retrainEvery, double clickNew, double clickOther, long seed) {
        public Config {
            if (simulatedUsers < 1 || simulatedUsers > world.users() || maxSessions < 1 || retrainEvery < 1
                    || !(clickNew > 0 && clickNew <= 1) || !(clickOther >= 0 && clickOther < 1)) {
                throw new IllegalArgumentException("need 1 <= simulated users <= world users, sessions and retrain period >= 1, "
                        + "0 < clickNew <= 1 and 0 <= clickOther < 1");
            }
        }
    }

    /**
     * One mode's outcome.
     *
     * @param clicksToHalf per simulated user, clicks until half its top 20 was on the new topic (-1: not within the sessions)
     * @param meanShareAfterClicks mean new-topic share of the top 20 at the first session a user had made that many
     *                             clicks (index 0 = before any click); a user that reached half stays in later means
     *                             with its last share, one that ran out of sessions drops out; NaN when no user got there
     * @param retrains batch retrains run
     * @param newTopicClicks clicks on new-topic items, all users together
     * @param otherClicks clicks on other items (the behaviour's noise)
     */
    public record Outcome(Mode mode, int[] clicksToHalf, double[] meanShareAfterClicks, int retrains, long newTopicClicks,
                          long otherClicks, long millis) {
        /** Median clicks to half, counting users who never got there as infinitely many (so it may be -1 = never). */
        public int medianClicksToHalf() {
            int[] sorted = Arrays.stream(clicksToHalf).map(c -> c < 0 ? Integer.MAX_VALUE : c).sorted().toArray();
            int median = sorted[(sorted.length - 1) / 2];
            return median == Integer.MAX_VALUE ? -1 : median;
        }

        /** Share of users who got there within {@code clicks} clicks. */
        public double shareWithin(int clicks) {
            return Arrays.stream(clicksToHalf).filter(c -> c >= 0 && c <= clicks).count() / (double) clicksToHalf.length;
        }
    }

    private AdaptationSimulator() {
    }

    /** Runs both modes on the same world; {@code progress} receives one line per milestone. */
    public static List<Outcome> run(Config config, Consumer<String> progress) {
        Dataset world = SyntheticWorld.generate(config.world(), n -> { });
        progress.accept("training ALS on " + world.interactions().size() + " interactions");
        Factors factors = ModelTrainer.train(world, world.interactions(), config.als(), n -> { });
        List<Outcome> outcomes = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            outcomes.add(runMode(mode, config, world, factors, progress));
        }
        return outcomes;
    }

    private static Outcome runMode(Mode mode, Config config, Dataset world, Factors factors, Consumer<String> progress) {
        long start = System.nanoTime();
        FeedConfig d = config.feed();
        // The batch architecture has no live personalisation at all: no drift, no short-term interest.
        FeedConfig feedConfig = mode == Mode.REALTIME ? d : d.withSessionWeight(0f);
        FeedModel model = ModelTrainer.build(world, world.interactions(), factors, feedConfig,
                UserStoreConfig.forUsers(world.userIds().size()), true);
        try {
            FeedPipeline pipeline = new FeedPipeline(model, feedConfig);
            LearningConfig learning = mode == Mode.REALTIME ? config.learning()
                    : new LearningConfig(0f, config.learning().significantDwellMillis());
            InteractionApplier applier = new InteractionApplier(model, learning);
            int topics = config.world().topics();
            int users = config.simulatedUsers();
            String[] newTopic = new String[users];
            long[] clickKinds = new long[2]; // [clicks on the new topic, other clicks]
            for (int u = 0; u < users; u++) {
                newTopic[u] = SyntheticWorld.topicName(leastClickedTopic(world, u, topics));
            }
            SplittableRandom random = new SplittableRandom(config.seed());
            int[] clicks = new int[users];
            int[] clicksToHalf = new int[users];
            Arrays.fill(clicksToHalf, -1);
            int maxClicks = config.maxSessions();
            double[] shareSum = new double[maxClicks + 1];
            int[] shareCount = new int[maxClicks + 1];
            boolean[] recorded = new boolean[users * (maxClicks + 1)];
            Interactions history = copy(world.interactions());
            int retrains = 0;
            long clock = SyntheticWorld.EPOCH_END_MILLIS;
            for (int session = 0; session < config.maxSessions(); session++) {
                if (mode == Mode.BATCH && session > 0 && session % config.retrainEvery() == 0) {
                    retrain(model, world, history, config.als(), users);
                    retrains++;
                }
                int active = 0;
                for (int u = 0; u < users; u++) {
                    if (clicksToHalf[u] >= 0) {
                        continue;
                    }
                    active++;
                    String user = world.userIds().get(u);
                    double share = shareOnTopic(pipeline.feed(user, 20).items(), model.catalog(), newTopic[u]);
                    int c = clicks[u];
                    if (!recorded[u * (maxClicks + 1) + c]) {
                        recorded[u * (maxClicks + 1) + c] = true;
                        shareSum[c] += share;
                        shareCount[c]++;
                    }
                    if (share >= 0.5) {
                        clicksToHalf[u] = c;
                        for (int later = c + 1; later <= maxClicks; later++) {
                            shareSum[later] += share; // a user who got there stays in the mean with its last share
                            shareCount[later]++;
                        }
                        continue;
                    }
                    int[] page = pipeline.feed(user, Math.min(200, feedConfig.maxLimit())).items();
                    for (int item : page) {
                        boolean liked = model.catalog().item(item).tags().contains(newTopic[u]);
                        if (random.nextDouble() < (liked ? config.clickNew() : config.clickOther())) {
                            clock += 1_000;
                            applier.applyAll(List.of(new Interaction(user, model.catalog().item(item).id(), EventType.CLICK, 0, clock)));
                            history.add(u, item, clock);
                            clicks[u]++;
                            clickKinds[liked ? 0 : 1]++;
                            break;
                        }
                    }
                }
                if (active == 0) {
                    break;
                }
                if (session % 10 == 9) {
                    progress.accept(String.format("%s: session %d, %d of %d users still below half", mode, session + 1, active, users));
                }
            }
            double[] curve = new double[maxClicks + 1];
            for (int c = 0; c <= maxClicks; c++) {
                curve[c] = shareCount[c] == 0 ? Double.NaN : shareSum[c] / shareCount[c];
            }
            return new Outcome(mode, clicksToHalf, curve, retrains, clickKinds[0], clickKinds[1], (System.nanoTime() - start) / 1_000_000);
        } finally {
            model.close();
        }
    }

    private static double shareOnTopic(int[] items, ItemCatalog catalog, String topic) {
        if (items.length == 0) {
            return 0;
        }
        int on = 0;
        for (int item : items) {
            on += catalog.item(item).tags().contains(topic) ? 1 : 0;
        }
        return on / (double) items.length;
    }

    /** The topic the user clicked least in the training history (ties: the lowest number). */
    private static int leastClickedTopic(Dataset world, int user, int topics) {
        int[] counts = new int[topics];
        Interactions history = world.interactions();
        for (int i = 0; i < history.size(); i++) {
            if (history.user(i) == user) {
                String tag = world.items().get(history.item(i)).tags().getFirst();
                for (int t = 0; t < topics; t++) {
                    if (SyntheticWorld.topicName(t).equals(tag)) {
                        counts[t]++;
                    }
                }
            }
        }
        int best = 0;
        for (int t = 1; t < topics; t++) {
            if (counts[t] < counts[best]) {
                best = t;
            }
        }
        return best;
    }

    private static Interactions copy(Interactions source) {
        Interactions copy = new Interactions(source.size() + 1_024);
        for (int i = 0; i < source.size(); i++) {
            copy.add(source.user(i), source.item(i), source.timeMillis(i), source.rating(i));
        }
        return copy;
    }

    /** The batch job: ALS on the whole history including the new clicks; simulated users get their new vectors. */
    private static void retrain(FeedModel model, Dataset world, Interactions history, AlsConfig als, int users) {
        Factors factors = ModelTrainer.train(world, history, als, n -> { });
        float[] vector = new float[factors.dim()];
        for (int u = 0; u < users; u++) {
            String id = world.userIds().get(u);
            System.arraycopy(factors.users(), u * factors.dim(), vector, 0, factors.dim());
            var meta = model.users().meta(id);
            model.users().load(id, vector, meta == null ? 0 : meta.interactions(), meta == null ? 0 : meta.lastUpdateMillis());
        }
    }
}

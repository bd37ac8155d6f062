package dev.feedserver.ranking.rank;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Produces the ranker's training data the way a production system logs it: it walks a log of
 * interactions in time order against a live {@link FeedModel}, and before applying each one as
 * an event (so the model learns from it in real time, as serving does) it asks the pipeline what
 * candidates that user would have been ranked over at that moment. When the item the user went
 * on to interact with is among them, the moment becomes a training query: the request features
 * as they were, the interacted item (labels from its rating, see {@link Objective#labelsOf}) and
 * {@code negatives} other candidates drawn at random (no label). Items the model has not seen
 * arrive through {@link FeedModel#upsertItem} first, as a client's {@code PUT} would.
 *
 * <p>Threading: runs on the calling thread and mutates the model; nothing else may apply events
 * to it meanwhile.
 */
public final class ExampleCollector {

    /**
     * Collection settings.
     *
     * @param negatives  unlabelled candidates per query
     * @param maxQueries most queries to keep (a random share of the log is sampled when it holds
     *                   more; every event is still applied); 0 only replays the log
     * @param seed       sampling seed
     */
    public record Config(int negatives, int maxQueries, long seed) {
        public static final Config DEFAULT = new Config(15, 12_000, 11);

        public Config {
            if (negatives < 1 || maxQueries < 0) {
                throw new IllegalArgumentException("negatives must be >= 1 and maxQueries >= 0, got " + negatives + ", " + maxQueries);
            }
        }
    }

    /** What a collection saw. */
    public record Outcome(TrainingSet set, int events, int sampled, int retrievedPositive, long[] lastSeenByUser) {
        /** Share of sampled moments whose interacted item was among the candidates (retrieval recall at full depth). */
        public double candidateRecall() {
            return sampled == 0 ? 0 : (double) retrievedPositive / sampled;
        }
    }

    private ExampleCollector() {
    }

    /**
     * Walks {@code log} (rows index {@code dataset}'s users and items, in time order) against
     * {@code model}; {@code progress} gets events done.
     */
    public static Outcome collect(Dataset dataset, Interactions log, FeedModel model, FeedPipeline pipeline,
                                  InteractionApplier applier, FeatureAssembler assembler, Config config,
                                  IntConsumer progress) {
        TrainingSet set = new TrainingSet(assembler.schema());
        SplittableRandom random = new SplittableRandom(config.seed());
        double keep = Math.min(1.0, config.maxQueries() / (double) Math.max(1, log.size()));
        RequestFeatures features = null;
        int[] chosen = new int[config.negatives() + 1];
        byte[] chosenSources = new byte[config.negatives() + 1];
        float[] itemBlock = new float[assembler.schema().width(FeatureScope.ITEM)];
        float[] candidate = new float[assembler.schema().width(FeatureScope.CANDIDATE)];
        long[] lastSeen = new long[dataset.userIds().size()];
        int sampled = 0;
        int positives = 0;
        for (int i = 0; i < log.size(); i++) {
            String user = dataset.userIds().get(log.user(i));
            var item = dataset.items().get(log.item(i));
            int row = model.catalog().rowOf(item.id());
            if (row < 0) {
                row = model.upsertItem(item);
            }
            long now = log.timeMillis(i);
            if (config.maxQueries() > 0 && set.queries() < config.maxQueries() && random.nextDouble() < keep) {
                sampled++;
                FeedPipeline.Retrieved retrieved = pipeline.retrieve(user);
                int at = indexOf(retrieved.items(), retrieved.count(), row);
                if (at >= 0 && retrieved.count() > 1) {
                    positives++;
                    if (features == null) {
                        features = assembler.newRequest(config.negatives() + 1);
                    }
                    int n = pickCandidates(retrieved, at, random, chosen, chosenSources);
                    assembler.loadRequest(features, user, retrieved.longTermVector(), retrieved.sessionVector(), now);
                    assembler.writeCandidates(features, chosen, chosenSources, n);
                    set.beginQuery(features.requestBlock(), now);
                    for (int c = 0; c < n; c++) {
                        FeatureAssembler.readCandidate(features, c, candidate, 0);
                        assembler.writeItem(chosen[c], itemBlock, 0);
                        set.addExample(chosen[c], candidate, 0, c == 0 ? Objective.labelsOf(log.rating(i)) : 0, itemBlock);
                    }
                }
            }
            applier.apply(new Interaction(user, item.id(), EventType.CLICK, 0, now));
            lastSeen[log.user(i)] = Math.max(lastSeen[log.user(i)], now);
            if ((i & 255) == 255 || i == log.size() - 1) {
                progress.accept(i + 1);
            }
        }
        return new Outcome(set, log.size(), sampled, positives, lastSeen);
    }

    /** The positive first, then distinct random other candidates; returns how many. */
    private static int pickCandidates(FeedPipeline.Retrieved retrieved, int positive, SplittableRandom random,
                                      int[] chosen, byte[] sources) {
        int count = retrieved.count();
        chosen[0] = retrieved.items()[positive];
        sources[0] = retrieved.sources()[positive];
        int want = Math.min(chosen.length - 1, count - 1);
        int n = 1;
        int attempts = 0;
        while (n <= want && attempts < want * 20) {
            attempts++;
            int j = random.nextInt(count);
            if (j == positive || indexOf(chosen, n, retrieved.items()[j]) >= 0) {
                continue;
            }
            chosen[n] = retrieved.items()[j];
            sources[n] = retrieved.sources()[j];
            n++;
        }
        return n;
    }

    private static int indexOf(int[] items, int n, int item) {
        for (int i = 0; i < n; i++) {
            if (items[i] == item) {
                return i;
            }
        }
        return -1;
    }
}

package dev.feedserver.server.app;

import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.Int8Ranker;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.ranking.rank.RankerRegistry;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;

/**
 * The loaded recommender as the HTTP layer sees it: the live model, the feed pipeline over it,
 * the journal through which every change (events, item puts and removals) is logged and
 * applied, and the registry of the serving ranker with the feature schema a hot-loaded model
 * must match (null when the server ranks with the built-in formula only).
 * Thread-safe as its parts are. Lifecycle: owns the model, the rankers and the journal's log;
 * {@link #close()} closes the log (fsyncing it), withdraws the ranker and frees the model.
 */
public record FeedService(String dataset, FeedModel model, FeedPipeline pipeline, ChangeJournal journal,
                          RankerRegistry rankers, FeatureSchema rankerSchema) implements AutoCloseable {

    /** A service ranking with the built-in formula only. */
    public FeedService(String dataset, FeedModel model, FeedPipeline pipeline, ChangeJournal journal) {
        this(dataset, model, pipeline, journal, null, null);
    }

    /**
     * Loads a ranker model file and swaps it in atomically; in-flight requests finish on the old
     * model. Returns the new version.
     *
     * @throws IllegalStateException    when this server has no ranker (started with {@code --ranker none})
     * @throws IllegalArgumentException when the file is not a valid model for this model's features
     * @throws java.io.IOException      when it cannot be read
     */
    public synchronized String loadRanker(java.nio.file.Path file) throws java.io.IOException {
        if (rankers == null || rankerSchema == null) {
            throw new IllegalStateException("this server ranks with the built-in formula (--ranker none); restart it with a ranker to load models");
        }
        RankerModelFile.Loaded loaded = RankerModelFile.readAny(file);
        if (!loaded.model().schema().equals(rankerSchema)) {
            throw new IllegalArgumentException("the model was trained for features " + loaded.model().schema().id()
                    + " but this server's are " + rankerSchema.id());
        }
        Int8Ranker ranker = new Int8Ranker(loaded.model(), model, n -> { });
        rankers.swap(ranker);
        return ranker.version();
    }

    @Override
    public void close() {
        try {
            journal.log().close();
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(FeedService.class).warn("closing the event log failed", e);
        } finally {
            if (rankers != null) {
                rankers.close();
            }
            model.close();
        }
    }
}

package dev.feedserver.server.app;

import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;

/**
 * The loaded recommender as the HTTP layer sees it: the live model, the feed pipeline over it
 * and the journal through which every change (events, item puts and removals) is logged and
 * applied. Thread-safe as its parts are. Lifecycle: owns the model and the journal's log;
 * {@link #close()} closes the log (fsyncing it) and then frees the model.
 */
public record FeedService(String dataset, FeedModel model, FeedPipeline pipeline, ChangeJournal journal)
        implements AutoCloseable {
    @Override
    public void close() {
        try {
            journal.log().close();
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(FeedService.class).warn("closing the event log failed", e);
        } finally {
            model.close();
        }
    }
}

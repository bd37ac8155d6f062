package dev.feedserver.server.app;

import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.learning.InteractionApplier;

/**
 * The loaded recommender as the HTTP layer sees it: the live model, the feed pipeline over it
 * and the applier that learns from events. Thread-safe as its parts are; owns the model.
 */
public record FeedService(String dataset, FeedModel model, FeedPipeline pipeline, InteractionApplier applier)
        implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}

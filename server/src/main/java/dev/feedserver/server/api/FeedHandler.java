package dev.feedserver.server.api;

import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.metrics.Metrics;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /v1/feed?user_id=U&limit=N[&weights=click:1,negative:-2]}: runs the feed pipeline
 * and encodes {@code {user_id, request_id, cold_start, ranker_version, items:[{item_id, score,
 * source, title, tags, heads}], candidates, timing_us}}. {@code weights} overrides how the ranker's
 * heads combine for this request (an experiment); a bad spec is a 400. Unknown users get the
 * cold-start feed. Thread-safe; runs on worker threads.
 */
public final class FeedHandler implements Handler {
    public static final int DEFAULT_LIMIT = 20;

    private final ServiceHolder services;
    private final Metrics metrics;

    public FeedHandler(ServiceHolder services, Metrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        FeedService service = services.require();
        String userId = Params.id(request.queryParam("user_id"), "user_id");
        int limit = Params.intInRange(request.queryParam("limit"), "limit", 1, service.pipeline().config().maxLimit(), DEFAULT_LIMIT);
        String weightsSpec = request.queryParam("weights");
        ObjectiveWeights weights = null;
        if (weightsSpec != null) {
            ObjectiveWeights base = service.pipeline().defaultWeights() != null ? service.pipeline().defaultWeights() : ObjectiveWeights.DEFAULT;
            try {
                weights = base.with(weightsSpec);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_weights", e.getMessage());
            }
        }
        FeedResult result = service.pipeline().feed(userId, limit, weights, System.currentTimeMillis());
        metrics.recordStages(result.stageNanos());
        return ApiResponse.json(HttpResponseStatus.OK,
                FeedResponseEncoder.encode(userId, request.requestId(), result, service.model().catalog()));
    }
}

package dev.feedserver.server.api;

import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.metrics.Metrics;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /v1/feed?user_id=U&limit=N}: runs the feed pipeline and encodes
 * {@code {user_id, request_id, cold_start, items:[{item_id, score, source, title}], candidates, timing_us}}.
 * Unknown users get the cold-start (popular) feed. Thread-safe; runs on worker threads.
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
        FeedResult result = service.pipeline().feed(userId, limit);
        metrics.recordStages(result.stageNanos());
        return ApiResponse.json(HttpResponseStatus.OK,
                FeedResponseEncoder.encode(userId, request.requestId(), result, service.model().catalog()));
    }
}

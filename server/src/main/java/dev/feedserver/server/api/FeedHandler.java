package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.feed.CandidateSource;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.feed.Stage;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.http.Json;
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
        long encodeStart = System.nanoTime();
        ItemCatalog catalog = service.model().catalog();
        ObjectNode root = Json.object();
        root.put("user_id", userId);
        root.put("request_id", request.requestId());
        root.put("cold_start", !result.knownUser());
        ArrayNode items = root.putArray("items");
        for (int i = 0; i < result.size(); i++) {
            ObjectNode item = items.addObject();
            item.put("item_id", catalog.item(result.items()[i]).id());
            item.put("score", result.scores()[i]);
            item.put("source", CandidateSource.describe(result.sources()[i]));
            item.put("title", catalog.item(result.items()[i]).title());
        }
        root.put("candidates", result.candidates());
        ObjectNode timing = root.putObject("timing_us");
        long total = 0;
        for (Stage stage : Stage.values()) {
            long nanos = result.stageNanos()[stage.ordinal()];
            timing.put(stage.label(), nanos / 1_000);
            total += nanos;
        }
        timing.put("encode", (System.nanoTime() - encodeStart) / 1_000);
        timing.put("pipeline_total", total / 1_000);
        metrics.recordStages(result.stageNanos());
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(root));
    }
}

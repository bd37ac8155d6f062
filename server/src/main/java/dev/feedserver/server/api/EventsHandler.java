package dev.feedserver.server.api;

import dev.feedserver.embeddings.store.StoreFullException;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.metrics.Metrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * {@code POST /v1/events}: validates the whole batch, then logs it and applies each event to the
 * live model (user drift, consumed filter, popularity) through the {@code ChangeJournal}, and
 * answers 202 {@code {"accepted": n}} once the batch is durable under the configured mode. The
 * next feed request sees the change. A batch that would add users to a full user store is
 * answered 503 {@code user_store_full}, and one the event log cannot take (disk full, read-only,
 * fsync failure) 503 {@code event_log_unavailable}; in both cases nothing was acknowledged.
 *
 * <p>A body with a {@code batch_id} whose batch was applied before (within the journal's key
 * window) is not applied again: 202 {@code {"accepted": n, "duplicate": true}} with the first
 * batch's count, once that batch is durable; a keyed first application answers
 * {@code "duplicate": false}. Thread-safe; runs on worker threads.
 */
public final class EventsHandler implements Handler {
    private final ServiceHolder services;
    private final Metrics metrics;
    private final int maxBatch;

    public EventsHandler(ServiceHolder services, Metrics metrics, int maxBatch) {
        this.services = services;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        FeedService service = services.require();
        EventBatchParser.Batch batch = EventBatchParser.parse(request.body(), maxBatch, service.model().catalog(), System.currentTimeMillis());
        ChangeJournal.Submitted submitted;
        try {
            submitted = service.journal().submitEvents(batch.events(), batch.batchId());
        } catch (java.io.IOException e) {
            metrics.eventLogFailure();
            throw ApiException.eventLogUnavailable(e);
        } catch (StoreFullException e) {
            metrics.userStoreFull();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "user_store_full",
                    "the user store is at capacity; the batch was not applied (" + e.getMessage() + ")");
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object().put("accepted", submitted.accepted());
        if (batch.batchId() != null) {
            body.put("duplicate", submitted.duplicate());
        }
        if (submitted.duplicate()) {
            metrics.eventBatchDuplicate();
        } else {
            metrics.eventsApplied(submitted.accepted());
        }
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, Json.bytes(body));
    }
}

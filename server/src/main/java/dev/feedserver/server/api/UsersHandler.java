package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.embeddings.store.EntryMeta;
import dev.feedserver.ranking.users.UserProfiles;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;

/**
 * {@code GET /v1/users/{id}}: interaction count, last update, vector norm and consumed-item
 * count of a known user; 404 otherwise. Thread-safe; runs on worker threads.
 */
public final class UsersHandler implements Handler {
    private final ServiceHolder services;

    public UsersHandler(ServiceHolder services) {
        this.services = services;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        UserProfiles users = services.require().model().users();
        String id = Params.id(request.pathParam(), "user_id");
        EntryMeta meta = users.meta(id);
        float[] vector = new float[users.dim()];
        if (meta == null || !users.read(id, vector)) {
            throw ApiException.notFound("user_not_found", "no user '" + id + "'");
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        ObjectNode node = Json.object();
        node.put("user_id", id);
        node.put("interactions", meta.interactions());
        if (meta.lastUpdateMillis() > 0) {
            node.put("last_update", Instant.ofEpochMilli(meta.lastUpdateMillis()).toString());
        } else {
            node.putNull("last_update");
        }
        node.put("vector_norm", Math.sqrt(norm));
        node.put("consumed_items", users.consumed().count(users.rowOf(id)));
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(node));
    }
}

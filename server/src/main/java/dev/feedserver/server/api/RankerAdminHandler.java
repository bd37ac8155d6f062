package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.rank.RankerRegistry;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.metrics.Metrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code /v1/admin/ranker}: {@code GET} says which ranker model serves; {@code POST
 * {"path": "/models/ranker.fsrank"}} loads a model file written by {@code feedserver train} and
 * swaps it in atomically (requests in flight finish on the old model; the new version shows in
 * feed responses and {@code /metrics} at once). A file that is missing answers 404, one that is
 * not a valid model for this server's features 422, a server started with {@code --ranker none}
 * 409; the serving model is untouched by any failure.
 *
 * <p>An operator's route: it reads a path on the server's disk. Access control (admin keys,
 * loopback binding) comes with the hardening work; until then run the server on a trusted network.
 * Thread-safe; loads are serialised by {@link FeedService#loadRanker}.
 */
public final class RankerAdminHandler {
    private final ServiceHolder services;
    private final Metrics metrics;

    public RankerAdminHandler(ServiceHolder services, Metrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    /** The serving model. */
    public ApiResponse get(ApiRequest request) {
        FeedService service = services.require();
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(describe(service)));
    }

    /** Loads and swaps in a model file. */
    public ApiResponse post(ApiRequest request) {
        FeedService service = services.require();
        JsonNode body = Json.parseBody(request.body());
        JsonNode path = body.get("path");
        if (path == null || !path.isTextual() || path.asText().isBlank()) {
            throw ApiException.badRequest("invalid_body", "expected {\"path\": \"<model file on the server>\"}");
        }
        Path file = Path.of(path.asText());
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("model_not_found", "no model file at " + Params.truncate(path.asText()));
        }
        String previous = service.rankers() == null ? null : service.rankers().version();
        String version;
        try {
            version = service.loadRanker(file);
        } catch (IllegalStateException e) {
            throw new ApiException(HttpResponseStatus.CONFLICT, "ranker_disabled", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "invalid_model", e.getMessage());
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("model_not_found", "no model file at " + Params.truncate(path.asText()));
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "unreadable_model", "the model file could not be read");
        }
        metrics.info("ranker_version", version);
        ObjectNode out = describe(service);
        out.put("previous_version", previous);
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(out));
    }

    private static ObjectNode describe(FeedService service) {
        ObjectNode out = Json.object();
        RankerRegistry rankers = service.rankers();
        String version = rankers == null ? null : rankers.version();
        out.put("version", version == null ? "linear" : version);
        out.put("swaps", rankers == null ? 0 : rankers.swaps());
        if (service.rankerSchema() != null) {
            out.put("feature_schema", service.rankerSchema().id());
            out.put("feature_width", service.rankerSchema().width());
        }
        return out;
    }
}

package dev.feedserver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.rank.CalibrationState;
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
 * {@code /v1/admin/ranker}: {@code GET} says which ranker model serves and the state of its
 * online head calibration ({@code calibration}: per head the published {@code a}, {@code b},
 * the candidate, holdout losses, rollbacks and publishes); {@code POST
 * {"path": "/models/ranker.fsrank"}} loads a model file written by {@code feedserver train} and
 * swaps it in atomically (requests in flight finish on the old model; the new version shows in
 * feed responses and {@code /metrics} at once). A file that is missing answers 404, one that is
 * not a valid model for this server's features 422, a server started with {@code --ranker none}
 * 409; the serving model is untouched by any failure.
 *
 * <p>An operator's route: it reads a path on the server's disk, so it needs the {@code admin}
 * scope and, by default, a loopback client ({@code security.RouteScopes}, docs/operations.md).
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
        if (rankers != null) {
            out.set("calibration", calibration(rankers.calibrator().state()));
        }
        return out;
    }

    private static ObjectNode calibration(CalibrationState state) {
        ObjectNode out = Json.object();
        out.put("enabled", state.enabled());
        out.put("version", state.version());
        out.put("impressions", state.impressions());
        out.put("examples_joined", state.joined());
        out.put("impressions_expired", state.expired());
        out.put("holdout_examples", state.holdout());
        out.put("steps", state.steps());
        out.put("evaluations", state.evaluations());
        out.put("rollbacks", state.rollbacks());
        out.put("publishes", state.publishes());
        ObjectNode heads = out.putObject("heads");
        for (CalibrationState.Head h : state.heads()) {
            ObjectNode head = heads.putObject(h.objective());
            head.put("a", h.a());
            head.put("b", h.b());
            head.put("candidate_a", h.candidateA());
            head.put("candidate_b", h.candidateB());
            putLoss(head, "holdout_loss_identity", h.identityLoss());
            putLoss(head, "holdout_loss_candidate", h.candidateLoss());
            putLoss(head, "holdout_loss_accepted", h.acceptedLoss());
            head.put("rollbacks", h.rollbacks());
            head.put("publishes", h.publishes());
        }
        return out;
    }

    /** A loss, or null before the first holdout comparison. */
    private static void putLoss(ObjectNode head, String name, double loss) {
        if (Double.isNaN(loss)) {
            head.putNull(name);
        } else {
            head.put(name, loss);
        }
    }
}

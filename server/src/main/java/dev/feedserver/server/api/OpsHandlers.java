package dev.feedserver.server.api;

import dev.feedserver.server.app.ServiceHolder;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.metrics.Metrics;
import dev.feedserver.server.metrics.PrometheusText;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (200 only once data and model are
 * loaded, 503 with the current state otherwise) and {@code /metrics} (Prometheus text).
 * Thread-safe; health checks run inline on the event loop and never block.
 */
public final class OpsHandlers {
    private final ServiceHolder services;
    private final Metrics metrics;

    public OpsHandlers(ServiceHolder services, Metrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    public ApiResponse healthz(ApiRequest request) {
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object().put("status", "ok")));
    }

    public ApiResponse readyz(ApiRequest request) {
        boolean ready = services.ready();
        return ApiResponse.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                Json.bytes(Json.object().put("status", services.state())));
    }

    public ApiResponse metrics(ApiRequest request) {
        return ApiResponse.text(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
                PrometheusText.render(metrics).getBytes(StandardCharsets.UTF_8));
    }
}

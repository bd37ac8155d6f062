package dev.feedserver.server.api;

import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /} and {@code GET /{file}}: the web feed client's static files and the OpenAPI
 * description ({@code /openapi.yaml}), read once from the jar's {@code web/} folder at construction. Only the files {@link Route#WEB_CLIENT} matches are
 * served, so no request path ever reaches the class loader. Immutable after construction; thread-safe;
 * answered on the event loop (the bytes are in memory).
 */
public final class WebClientHandler implements Handler {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "yaml", "application/yaml; charset=utf-8");

    private final Map<String, ApiResponse> responses;

    public WebClientHandler() {
        java.util.HashMap<String, ApiResponse> loaded = new java.util.HashMap<>();
        Route.WEB_CLIENT_FILES.forEach(name -> loaded.put(name, ApiResponse.text(HttpResponseStatus.OK, contentType(name), read(name))
                .withHeader("Cache-Control", "no-cache")
                .withHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")));
        this.responses = Map.copyOf(loaded);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ApiResponse response = responses.get(request.pathParam());
        if (response == null) {
            throw ApiException.notFound("not_found", "no such file in the web client");
        }
        return response;
    }

    private static String contentType(String name) {
        String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            throw new IllegalStateException("no content type for web client file " + name);
        }
        return type;
    }

    private static byte[] read(String name) {
        try (InputStream in = WebClientHandler.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web client file web/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web client file web/" + name, e);
        }
    }
}

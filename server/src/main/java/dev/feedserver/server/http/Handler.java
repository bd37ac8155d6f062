package dev.feedserver.server.http;

/**
 * Serves one route and method. Throws {@link ApiException} for client errors; any other
 * exception becomes a logged 500. Implementations must be thread-safe: they run on worker
 * threads (or the event loop for inline routes, where they must not block).
 */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request);
}

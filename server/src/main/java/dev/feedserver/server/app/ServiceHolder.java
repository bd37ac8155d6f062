package dev.feedserver.server.app;

import dev.feedserver.server.http.ApiException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Publishes the {@link FeedService} once loading finishes; until then, and after shutdown
 * begins, API handlers get a 503 {@code not_ready}. Readiness is the presence of the service.
 *
 * <p>Threading: volatile publication; any thread may read.
 */
public final class ServiceHolder {
    private volatile FeedService service;
    private volatile String state = "starting";

    public void publish(FeedService loaded) {
        service = loaded;
        state = "ready";
    }

    /** Marks the server as no longer ready (draining) and returns the service to close later. */
    public FeedService withdraw(String newState) {
        FeedService current = service;
        service = null;
        state = newState;
        return current;
    }

    public void state(String newState) {
        state = newState;
    }

    public String state() {
        return state;
    }

    public boolean ready() {
        return service != null;
    }

    /** The service, or a 503 {@link ApiException} when not ready. */
    public FeedService require() {
        FeedService current = service;
        if (current == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "not_ready", "the server is " + state + "; retry shortly");
        }
        return current;
    }
}

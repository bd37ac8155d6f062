package dev.feedserver.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A client-facing error: an HTTP status, a stable machine code and a human message, optionally
 * with structured details (e.g. per-event reasons). Rendered as
 * {@code {"error":{"code":..,"message":..,"details":..}}}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String code;
    private final transient JsonNode details;
    private final transient java.util.Map<String, String> headers;

    public ApiException(HttpResponseStatus status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(HttpResponseStatus status, String code, String message, JsonNode details) {
        this(status, code, message, details, java.util.Map.of());
    }

    private ApiException(HttpResponseStatus status, String code, String message, JsonNode details, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.headers = headers;
    }

    /** This error with one more response header (e.g. {@code Retry-After}, {@code WWW-Authenticate}). */
    public ApiException withHeader(String name, String value) {
        java.util.Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return new ApiException(status, code, getMessage(), details, java.util.Map.copyOf(all));
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, code, message);
    }

    /** 503 for a change the event log could not take: nothing was acknowledged (the cause is not echoed). */
    public static ApiException eventLogUnavailable(java.io.IOException cause) {
        return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "event_log_unavailable",
                "the event log could not record the change, so it was not acknowledged; retry later");
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public JsonNode details() {
        return details;
    }

    /** Extra response headers; empty for most errors. */
    public java.util.Map<String, String> headers() {
        return headers;
    }
}

package dev.feedserver.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * A decoded request, detached from Netty buffers so it can cross to a worker thread: the body
 * is copied out on the event loop and the Netty message released there. Immutable.
 *
 * @param pathParam the {@code {id}} segment of routes that have one, else null
 */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, byte[] body,
                         String requestId, String pathParam) {

    /** The single value of a query parameter, or null when absent. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("invalid_parameter", "query parameter '" + name + "' is given more than once");
        }
        return values.getFirst();
    }
}

package dev.feedserver.server.security;

import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Who may call what. A request's scope comes from {@link RouteScopes}; the client holds the
 * open scopes, plus its key's scopes when it presents a valid key in
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Without a keys file (dev mode)
 * loopback clients hold every scope. Admin routes, and {@code /metrics} when so configured,
 * answer loopback clients only.
 *
 * <p>Answers: 401 with {@code WWW-Authenticate} for no key where one is needed and for an
 * invalid, unknown or revoked key; 403 for a valid key without the scope, for a non-loopback
 * client on a loopback-only route, and for remote clients of a server without keys. Messages
 * never contain the presented key.
 *
 * <p>Thread-safe; runs on the event loop (no I/O: the key ring is an in-memory snapshot).
 */
public final class AccessPolicy {
    static final String REALM = "Bearer realm=\"feedserver\"";

    private final AuthConfig config;
    private final Supplier<KeyRing> keys;

    /** {@code keys} supplies the current key ring, or is null in dev mode (no keys file). */
    public AccessPolicy(AuthConfig config, Supplier<KeyRing> keys) {
        this.config = config;
        this.keys = keys;
    }

    /** The outcome: the verified key (null when anonymous) or the error to answer. */
    public record Verdict(ApiKey key, ApiException error) {
        static final Verdict ANONYMOUS = new Verdict(null, null);
    }

    public Verdict check(Route route, HttpMethod method, HttpHeaders headers, SocketAddress peer) {
        boolean loopback = isLoopback(peer);
        if (RouteScopes.isOpen(route)) {
            if (route == Route.METRICS && config.metricsLoopbackOnly() && !loopback) {
                return deny(loopbackOnly("/metrics"));
            }
            return Verdict.ANONYMOUS;
        }
        Scope need = RouteScopes.required(route, method);
        if (RouteScopes.isAdmin(route) && config.adminLoopbackOnly() && !loopback) {
            return deny(loopbackOnly("admin routes"));
        }
        boolean open = config.openScopes().contains(need);
        if (keys == null) {
            if (loopback || open) {
                return Verdict.ANONYMOUS;
            }
            return deny(new ApiException(HttpResponseStatus.FORBIDDEN, "auth_not_configured",
                    "this server runs without a keys file, so only loopback clients may use " + need.wire() + " routes"));
        }
        String presented;
        try {
            presented = credential(headers);
        } catch (ApiException e) {
            return deny(e);
        }
        if (presented == null) {
            return open ? Verdict.ANONYMOUS : deny(new ApiException(HttpResponseStatus.UNAUTHORIZED, "missing_key",
                    "this route needs an API key with scope " + need.wire() + " in 'Authorization: Bearer <key>' or 'X-API-Key'")
                    .withHeader("WWW-Authenticate", REALM + ", scope=\"" + need.wire() + "\""));
        }
        ApiKey key = keys.get().verify(presented);
        if (key == null) {
            return deny(new ApiException(HttpResponseStatus.UNAUTHORIZED, "invalid_key", "the API key is not valid (unknown, revoked or mistyped)")
                    .withHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
        }
        if (!key.has(need) && !open) {
            return deny(new ApiException(HttpResponseStatus.FORBIDDEN, "insufficient_scope",
                    "key " + key.id() + " lacks scope " + need.wire() + " (it has " + Scope.names(key.scopes()) + ")")
                    .withHeader("WWW-Authenticate", REALM + ", error=\"insufficient_scope\", scope=\"" + need.wire() + "\""));
        }
        return new Verdict(key, null);
    }

    /** The key in the request, null when none; a malformed Authorization header is a 401. */
    static String credential(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            String value = authorization.strip();
            if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unsupported_auth_scheme",
                        "the Authorization header must be 'Bearer <key>'").withHeader("WWW-Authenticate", REALM);
            }
            return value.substring(7).strip();
        }
        String apiKey = headers.get("X-API-Key");
        return apiKey == null ? null : apiKey.strip();
    }

    static boolean isLoopback(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    private static ApiException loopbackOnly(String what) {
        return new ApiException(HttpResponseStatus.FORBIDDEN, "loopback_only", what + " answer loopback clients only on this server");
    }

    private static Verdict deny(ApiException e) {
        return new Verdict(null, e);
    }
}

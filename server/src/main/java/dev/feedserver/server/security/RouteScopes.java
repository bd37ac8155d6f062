package dev.feedserver.server.security;

import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of what each route and method requires. The operational routes
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}, the web client's files) are listed as
 * open and are never behind a key; every other route and method must have a scope here, and the
 * class refuses to load when one has none, so a new route can never be public by omission. Admin routes
 * ({@link #isAdmin}) may additionally be restricted to loopback clients.
 *
 * <pre>
 * GET    /v1/feed           feed:read
 * GET    /v1/items/{id}     feed:read
 * PUT    /v1/items/{id}     items:write
 * DELETE /v1/items/{id}     items:write
 * GET    /v1/users/{id}     feed:read
 * POST   /v1/events         events:write
 * POST   /v1/generate       generate
 * GET    /v1/generate       generate
 * GET    /v1/generate/{id}  generate
 * DELETE /v1/generate/{id}  generate
 * GET    /v1/generate/{id}/outputs/{file}  generate
 * GET    /v1/admin/ranker   admin
 * POST   /v1/admin/ranker   admin
 * </pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class RouteScopes {
    private static final Map<Route, Map<HttpMethod, Scope>> TABLE = new EnumMap<>(Route.class);
    /** Routes served to anyone (metrics may be restricted to loopback by configuration). */
    private static final Set<Route> OPEN = EnumSet.of(Route.HEALTHZ, Route.READYZ, Route.METRICS, Route.WEB_CLIENT);

    static {
        TABLE.put(Route.FEED, Map.of(HttpMethod.GET, Scope.FEED_READ));
        TABLE.put(Route.ITEM, Map.of(HttpMethod.GET, Scope.FEED_READ, HttpMethod.PUT, Scope.ITEMS_WRITE, HttpMethod.DELETE, Scope.ITEMS_WRITE));
        TABLE.put(Route.USER, Map.of(HttpMethod.GET, Scope.FEED_READ));
        TABLE.put(Route.EVENTS, Map.of(HttpMethod.POST, Scope.EVENTS_WRITE));
        TABLE.put(Route.GENERATE, Map.of(HttpMethod.POST, Scope.GENERATE, HttpMethod.GET, Scope.GENERATE));
        TABLE.put(Route.GENERATE_JOB, Map.of(HttpMethod.GET, Scope.GENERATE, HttpMethod.DELETE, Scope.GENERATE));
        TABLE.put(Route.GENERATE_OUTPUT, Map.of(HttpMethod.GET, Scope.GENERATE));
        TABLE.put(Route.ADMIN_RANKER, Map.of(HttpMethod.GET, Scope.ADMIN, HttpMethod.POST, Scope.ADMIN));
        for (Route route : Route.values()) {
            for (HttpMethod method : route.methods()) {
                if (!OPEN.contains(route) && required(route, method) == null) {
                    throw new ExceptionInInitializerError("route " + route + " " + method
                            + " has no scope in RouteScopes and is not an open route");
                }
            }
        }
    }

    private RouteScopes() {
    }

    /** Whether the route is operational: served without a key and never rate limited. */
    public static boolean isOpen(Route route) {
        return OPEN.contains(route);
    }

    /** The scope {@code method} on {@code route} needs, or null for an operational route. */
    public static Scope required(Route route, HttpMethod method) {
        Map<HttpMethod, Scope> byMethod = TABLE.get(route);
        return byMethod == null ? null : byMethod.get(method);
    }

    /** Whether the route is an operator's (loopback-only when so configured). */
    public static boolean isAdmin(Route route) {
        return route == Route.ADMIN_RANKER;
    }
}

package dev.feedserver.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every route and method is either one of the few open ones or needs a scope: nothing is public by omission. */
class RouteScopesTest {

    @Test
    void everyRouteIsOpenOrScoped() {
        Set<Route> open = EnumSet.noneOf(Route.class);
        for (Route route : Route.values()) {
            for (HttpMethod method : route.methods()) {
                if (RouteScopes.isOpen(route)) {
                    open.add(route);
                    assertNull(RouteScopes.required(route, method), route + " is open, so it has no scope");
                } else {
                    assertNotNull(RouteScopes.required(route, method), route + " " + method + " needs a scope");
                }
            }
        }
        assertEquals(EnumSet.of(Route.HEALTHZ, Route.READYZ, Route.METRICS, Route.WEB_CLIENT), open);
    }
}

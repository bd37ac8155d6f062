package dev.feedserver.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every branch of the access decision: statuses, codes, headers, and that no key is echoed. */
class AccessPolicyTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("203.0.113.9", 5000);

    private final KeyFormat.NewKey reader = KeyFormat.generate();
    private final KeyFormat.NewKey writer = KeyFormat.generate();
    private final KeyRing ring = new KeyRing(List.of(
            key(reader, EnumSet.of(Scope.FEED_READ)), key(writer, EnumSet.of(Scope.EVENTS_WRITE, Scope.ADMIN))));

    private static ApiKey key(KeyFormat.NewKey k, Set<Scope> scopes) {
        return new ApiKey(k.id(), KeyFormat.sha256(k.plaintext()), scopes, "test", Instant.EPOCH);
    }

    private AccessPolicy policy(Set<Scope> open, boolean withKeys) {
        return new AccessPolicy(new AuthConfig(withKeys ? java.nio.file.Path.of("keys") : null, open, true, false, Duration.ofSeconds(1)),
                withKeys ? () -> ring : null);
    }

    private static HttpHeaders bearer(String key) {
        return new DefaultHttpHeaders().set("Authorization", "Bearer " + key);
    }

    @Test
    void noKeyIs401WithChallengeNamingTheScope() {
        ApiException e = policy(Set.of(), true).check(Route.EVENTS, HttpMethod.POST, new DefaultHttpHeaders(), REMOTE).error();
        assertEquals(401, e.status().code());
        assertEquals("missing_key", e.code());
        assertEquals("Bearer realm=\"feedserver\", scope=\"events:write\"", e.headers().get("WWW-Authenticate"));
    }

    @Test
    void validKeyWithScopePasses() {
        AccessPolicy.Verdict v = policy(Set.of(), true).check(Route.FEED, HttpMethod.GET, bearer(reader.plaintext()), REMOTE);
        assertNull(v.error());
        assertEquals(reader.id(), v.key().id());
        HttpHeaders xApiKey = new DefaultHttpHeaders().set("X-API-Key", writer.plaintext());
        assertNull(policy(Set.of(), true).check(Route.EVENTS, HttpMethod.POST, xApiKey, REMOTE).error());
    }

    @Test
    void wrongScopeIs403() {
        ApiException e = policy(Set.of(), true).check(Route.EVENTS, HttpMethod.POST, bearer(reader.plaintext()), REMOTE).error();
        assertEquals(403, e.status().code());
        assertEquals("insufficient_scope", e.code());
        assertTrue(e.headers().get("WWW-Authenticate").contains("insufficient_scope"));
        assertFalse(e.getMessage().contains(reader.plaintext()));
    }

    @Test
    void tamperedUnknownAndMalformedKeysAre401() {
        AccessPolicy p = policy(Set.of(), true);
        String tampered = reader.plaintext().substring(0, reader.plaintext().length() - 1) + "x";
        String unknown = KeyFormat.generate().plaintext();
        for (String bad : List.of(tampered, unknown, "nonsense", "fsk_")) {
            ApiException e = p.check(Route.FEED, HttpMethod.GET, bearer(bad), REMOTE).error();
            assertEquals(401, e.status().code(), bad);
            assertEquals("Bearer realm=\"feedserver\", error=\"invalid_token\"", e.headers().get("WWW-Authenticate"));
            assertFalse(e.getMessage().contains(bad));
        }
        ApiException basic = p.check(Route.FEED, HttpMethod.GET, new DefaultHttpHeaders().set("Authorization", "Basic abc"), REMOTE).error();
        assertEquals("unsupported_auth_scheme", basic.code());
    }

    @Test
    void openScopesNeedNoKeyButABadKeyIsStillRejected() {
        AccessPolicy p = policy(Set.of(Scope.FEED_READ), true);
        assertNull(p.check(Route.FEED, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error());
        assertEquals(401, p.check(Route.ITEM, HttpMethod.PUT, new DefaultHttpHeaders(), REMOTE).error().status().code());
        assertEquals(401, p.check(Route.FEED, HttpMethod.GET, bearer("fsk_000000000000_nope"), REMOTE).error().status().code());
    }

    @Test
    void adminIsLoopbackOnlyEvenWithAnAdminKey() {
        AccessPolicy p = policy(Set.of(), true);
        assertEquals("loopback_only", p.check(Route.ADMIN_RANKER, HttpMethod.GET, bearer(writer.plaintext()), REMOTE).error().code());
        assertNull(p.check(Route.ADMIN_RANKER, HttpMethod.GET, bearer(writer.plaintext()), LOCAL).error());
        assertEquals(401, p.check(Route.ADMIN_RANKER, HttpMethod.POST, new DefaultHttpHeaders(), LOCAL).error().status().code());
    }

    @Test
    void devModeOpensEverythingToLoopbackOnly() {
        AccessPolicy p = policy(Set.of(), false);
        assertNull(p.check(Route.EVENTS, HttpMethod.POST, new DefaultHttpHeaders(), LOCAL).error());
        assertNull(p.check(Route.ADMIN_RANKER, HttpMethod.POST, new DefaultHttpHeaders(), LOCAL).error());
        assertEquals("auth_not_configured", p.check(Route.FEED, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error().code());
        assertNull(policy(Set.of(Scope.FEED_READ), false).check(Route.FEED, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error());
    }

    @Test
    void operationalRoutesAreAlwaysOpenUnlessMetricsIsLoopbackOnly() {
        AccessPolicy p = policy(Set.of(), true);
        assertNull(p.check(Route.HEALTHZ, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error());
        assertNull(p.check(Route.METRICS, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error());
        AccessPolicy metricsLocal = new AccessPolicy(new AuthConfig(null, Set.of(), true, true, Duration.ofSeconds(1)), null);
        assertEquals("loopback_only", metricsLocal.check(Route.METRICS, HttpMethod.GET, new DefaultHttpHeaders(), REMOTE).error().code());
    }

    @Test
    void adminCanNeverBeOpen() {
        try {
            new AuthConfig(null, Set.of(Scope.ADMIN), true, false, Duration.ofSeconds(1));
            throw new AssertionError("expected a rejection");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("admin"));
        }
    }
}

package dev.feedserver.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rate limits on a controlled clock: 429 with Retry-After, refill, per-key vs per-address, bounded tables. */
class AdmissionTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final KeyFormat.NewKey key = KeyFormat.generate();
    private final KeyRing ring = new KeyRing(List.of(new ApiKey(key.id(), KeyFormat.sha256(key.plaintext()), EnumSet.of(Scope.FEED_READ), "k", Instant.EPOCH)));

    private Admission admission(double ipRate, int ipBurst, double keyRate, int keyBurst, int maxClients) {
        AccessPolicy policy = new AccessPolicy(new AuthConfig(java.nio.file.Path.of("k"), Set.of(Scope.FEED_READ), true, false, Duration.ofSeconds(1)), () -> ring);
        return new Admission(policy, new RateLimitConfig(ipRate, ipBurst, keyRate, keyBurst, false, maxClients), clock::get);
    }

    private static InetSocketAddress ip(String a) {
        return new InetSocketAddress(a, 1);
    }

    private ApiException feed(Admission a, InetSocketAddress peer, boolean withKey) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        if (withKey) {
            h.set("X-API-Key", key.plaintext());
        }
        return a.admit(Route.FEED, HttpMethod.GET, h, peer);
    }

    @Test
    void anAddressGetsItsBurstThen429WithRetryAfterThenRefills() {
        Admission a = admission(2, 3, 0, 1, 100);
        for (int i = 0; i < 3; i++) {
            assertNull(feed(a, ip("198.51.100.1"), false));
        }
        ApiException limited = feed(a, ip("198.51.100.1"), false);
        assertEquals(429, limited.status().code());
        assertEquals("rate_limited", limited.code());
        assertEquals("1", limited.headers().get("Retry-After"));
        assertNull(feed(a, ip("198.51.100.2"), false), "another address has its own bucket");
        clock.addAndGet(500_000_000L);
        assertNull(feed(a, ip("198.51.100.1"), false), "half a second refills one token at 2/s");
    }

    @Test
    void keyedRequestsDrawOnTheKeyNotTheAddressAndLoopbackIsExempt() {
        Admission a = admission(1, 1, 5, 2, 100);
        assertNull(feed(a, ip("198.51.100.1"), false));
        assertEquals(429, feed(a, ip("198.51.100.1"), false).status().code());
        assertNull(feed(a, ip("198.51.100.1"), true));
        assertNull(feed(a, ip("198.51.100.1"), true));
        assertEquals(429, feed(a, ip("198.51.100.1"), true).status().code(), "the key's own burst is spent");
        for (int i = 0; i < 10; i++) {
            assertNull(feed(a, ip("127.0.0.1"), false));
        }
        assertNull(a.admit(Route.HEALTHZ, HttpMethod.GET, new DefaultHttpHeaders(), ip("198.51.100.1")), "health is never limited");
    }

    @Test
    void badKeyAttemptsAreThrottledPerAddress() {
        Admission a = admission(1, 2, 0, 1, 100);
        DefaultHttpHeaders bad = new DefaultHttpHeaders();
        bad.set("X-API-Key", "fsk_0123456789ab_guess");
        assertEquals(401, a.admit(Route.FEED, HttpMethod.GET, bad, ip("198.51.100.7")).status().code());
        assertEquals(401, a.admit(Route.FEED, HttpMethod.GET, bad, ip("198.51.100.7")).status().code());
        assertEquals(429, a.admit(Route.FEED, HttpMethod.GET, bad, ip("198.51.100.7")).status().code());
    }

    @Test
    void trackedClientsStayBoundedAndIdleOnesAreForgotten() {
        Admission a = admission(10, 5, 0, 1, 16);
        for (int i = 0; i < 1_000; i++) {
            feed(a, ip("10.0." + (i / 250) + "." + (i % 250)), false);
        }
        assertTrue(a.trackedClients() <= 16, "tracked " + a.trackedClients());
        clock.addAndGet(10_000_000_000L);
        a.sweep();
        assertEquals(0, a.trackedClients());
    }

    @Test
    void ipv6ClientsAreLimitedPerSlash64() {
        assertEquals(Admission.clientOf(ip("2001:db8:1:2::1")), Admission.clientOf(ip("2001:db8:1:2:ffff::9")));
        assertTrue(!Admission.clientOf(ip("2001:db8:1:2::1")).equals(Admission.clientOf(ip("2001:db8:1:3::1"))));
    }
}

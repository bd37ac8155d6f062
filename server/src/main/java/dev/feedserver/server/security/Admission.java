package dev.feedserver.server.security;

import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.RequestGate;
import dev.feedserver.server.http.Route;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's {@link RequestGate}: access control ({@link AccessPolicy}), then rate limits.
 * A request with a valid key draws on its key's bucket; any other request (anonymous, or with a
 * bad key, so key guessing is throttled too) on its address's bucket. An empty bucket is a 429
 * {@code rate_limited} with {@code Retry-After} in whole seconds. Operational routes
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}) are never rate limited.
 *
 * <p>Threading: {@link #admit} from any event loop. Lifecycle: {@link #start} runs the
 * {@code rate-limit-sweep} daemon thread that forgets idle buckets every few seconds;
 * {@link #close} stops it (idempotent).
 */
public final class Admission implements RequestGate, AutoCloseable {
    private static final long SWEEP_MILLIS = 5_000;

    private final AccessPolicy policy;
    private final RateLimitConfig limits;
    private final RateLimiter perIp;
    private final RateLimiter perKey;
    private final LongSupplier clock;
    private ScheduledExecutorService sweeper;

    public Admission(AccessPolicy policy, RateLimitConfig limits) {
        this(policy, limits, System::nanoTime);
    }

    Admission(AccessPolicy policy, RateLimitConfig limits, LongSupplier clock) {
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
        long now = clock.getAsLong();
        this.perIp = limits.perIpRate() > 0 ? new RateLimiter(limits.perIpRate(), limits.perIpBurst(), limits.maxClients(), now) : null;
        this.perKey = limits.perKeyRate() > 0 ? new RateLimiter(limits.perKeyRate(), limits.perKeyBurst(), limits.maxClients(), now) : null;
    }

    @Override
    public ApiException admit(Route route, HttpMethod method, HttpHeaders headers, SocketAddress peer) {
        AccessPolicy.Verdict verdict = policy.check(route, method, headers, peer);
        if (RouteScopes.isOpen(route)) {
            return verdict.error();
        }
        long now = clock.getAsLong();
        if (verdict.key() != null) {
            long wait = perKey == null ? 0 : perKey.acquire(verdict.key().id(), now);
            return wait > 0 ? tooMany("this API key", wait) : null;
        }
        if (perIp != null && (limits.limitLoopback() || !AccessPolicy.isLoopback(peer))) {
            long wait = perIp.acquire(clientOf(peer), now);
            if (wait > 0) {
                return tooMany("this address", wait);
            }
        }
        return verdict.error();
    }

    public synchronized void start() {
        if (sweeper == null && (perIp != null || perKey != null)) {
            sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("rate-limit-sweep").factory());
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void sweep() {
        long now = clock.getAsLong();
        if (perIp != null) {
            perIp.sweep(now);
        }
        if (perKey != null) {
            perKey.sweep(now);
        }
    }

    /** Clients currently tracked (addresses plus keys): bounded by twice the configured maximum. */
    public long trackedClients() {
        return (perIp == null ? 0 : perIp.tracked()) + (perKey == null ? 0 : perKey.tracked());
    }

    /** Requests answered 429 so far. */
    public long limited() {
        return (perIp == null ? 0 : perIp.limited()) + (perKey == null ? 0 : perKey.limited());
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** The rate-limit identity of a peer: the IPv4 address, or the /64 prefix of an IPv6 one. */
    static String clientOf(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(peer);
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            return "v6:" + java.util.HexFormat.of().formatHex(b, 0, 8);
        }
        return address.getHostAddress();
    }

    private static ApiException tooMany(String who, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
                "too many requests from " + who + "; retry after " + seconds + " s").withHeader("Retry-After", Long.toString(seconds));
    }
}

package dev.feedserver.server.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets per client (an address or a key id), bounded: at most {@code maxBuckets}
 * clients are tracked; {@link #sweep} forgets buckets that have refilled completely (an idle
 * client's bucket is indistinguishable from a new one, so nothing is lost). When the table is
 * full, further clients share one overflow bucket, so a flood of new addresses can neither grow
 * memory nor escape the limit; it throttles newcomers together until the sweep makes room.
 *
 * <p>Threading: {@link #acquire} from any thread (event loops); {@link #sweep} from one
 * background thread.
 */
final class RateLimiter {
    private final double ratePerSecond;
    private final int burst;
    private final int maxBuckets;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final TokenBucket overflow;
    private final AtomicLong overflowed = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();

    RateLimiter(double ratePerSecond, int burst, int maxBuckets, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxBuckets = maxBuckets;
        this.overflow = new TokenBucket(ratePerSecond, burst, nowNanos);
    }

    /** 0 when {@code client} may proceed, else nanoseconds until it may. */
    long acquire(String client, long nowNanos) {
        TokenBucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= maxBuckets) {
                overflowed.incrementAndGet();
                bucket = overflow;
            } else {
                bucket = buckets.computeIfAbsent(client, c -> new TokenBucket(ratePerSecond, burst, nowNanos));
            }
        }
        long wait = bucket.tryTake(nowNanos);
        if (wait > 0) {
            limited.incrementAndGet();
        }
        return wait;
    }

    /** Forgets every client whose bucket is full again. */
    void sweep(long nowNanos) {
        buckets.values().removeIf(b -> b.isFull(nowNanos));
    }

    int tracked() {
        return buckets.size();
    }

    long overflowed() {
        return overflowed.get();
    }

    long limited() {
        return limited.get();
    }
}

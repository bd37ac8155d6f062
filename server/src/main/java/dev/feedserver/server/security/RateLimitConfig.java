package dev.feedserver.server.security;

/**
 * Rate-limit settings, validated once at start-up. A rate of 0 turns that limit off.
 *
 * @param perIpRate requests per second from one address without a valid key (IPv6 per /64)
 * @param perIpBurst requests an address may make at once
 * @param perKeyRate requests per second with one API key
 * @param perKeyBurst requests a key may make at once
 * @param limitLoopback whether loopback clients are limited per address (off by default: a local
 *                      reverse proxy or benchmark is one address for many clients)
 * @param maxClients most addresses (and, separately, keys) tracked at once
 */
public record RateLimitConfig(double perIpRate, int perIpBurst, double perKeyRate, int perKeyBurst, boolean limitLoopback,
                              int maxClients) {
    public RateLimitConfig {
        check(perIpRate >= 0 && perIpRate <= 1e6, "rate-per-ip must be in [0, 1000000], got " + perIpRate);
        check(perKeyRate >= 0 && perKeyRate <= 1e6, "rate-per-key must be in [0, 1000000], got " + perKeyRate);
        check(perIpBurst >= 1 && perIpBurst <= 1_000_000, "burst-per-ip must be in [1, 1000000], got " + perIpBurst);
        check(perKeyBurst >= 1 && perKeyBurst <= 1_000_000, "burst-per-key must be in [1, 1000000], got " + perKeyBurst);
        check(maxClients >= 16 && maxClients <= 10_000_000, "rate-limit-clients must be in [16, 10000000], got " + maxClients);
    }

    public String describe() {
        return "rate limits: per address " + (perIpRate == 0 ? "off" : perIpRate + "/s burst " + perIpBurst)
                + (limitLoopback ? " (loopback included)" : " (loopback exempt)")
                + "; per key " + (perKeyRate == 0 ? "off" : perKeyRate + "/s burst " + perKeyBurst)
                + "; at most " + maxClients + " clients tracked";
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

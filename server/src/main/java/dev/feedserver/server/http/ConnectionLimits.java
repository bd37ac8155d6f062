package dev.feedserver.server.http;

/**
 * Per-connection defences, validated once at start-up.
 *
 * @param requestReadTimeoutMillis a request must arrive complete (request line, headers and body)
 *                                 within this long of its first byte, or the connection gets 408
 *                                 and is closed: slow-sending (slowloris) clients cannot hold it
 * @param maxConnections open connections beyond this are answered 503 and closed at once
 */
public record ConnectionLimits(long requestReadTimeoutMillis, int maxConnections) {
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(10_000, 10_000);

    public ConnectionLimits {
        if (requestReadTimeoutMillis < 100 || requestReadTimeoutMillis > 600_000) {
            throw new IllegalArgumentException("request-read-timeout must be in [0.1 s, 600 s], got " + requestReadTimeoutMillis + " ms");
        }
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            throw new IllegalArgumentException("max-connections must be in [1, 1000000], got " + maxConnections);
        }
    }
}

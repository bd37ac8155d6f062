package dev.feedserver.server.cli;

import dev.feedserver.server.http.ConnectionLimits;
import dev.feedserver.server.security.AccessPolicy;
import dev.feedserver.server.security.Admission;
import dev.feedserver.server.security.AuthConfig;
import dev.feedserver.server.security.KeyRingWatcher;
import dev.feedserver.server.security.RateLimitConfig;
import dev.feedserver.server.security.Scope;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code serve} flags for access control, rate limits and connection defences, turned into
 * validated configurations and the server's request gate. Used once, on the main thread.
 */
final class SecurityOptions {
    @Option(names = "--keys-file", description = "API keys file (hashes only; see 'feedserver keys'). Without one the server runs in dev mode: "
            + "every route open to loopback clients, other clients hold only --open-scopes.")
    Path keysFile;

    @Option(names = "--open-scopes", defaultValue = "none",
            description = "Scopes every client holds without a key, e.g. feed:read for a public demo feed (default ${DEFAULT-VALUE}; admin never).")
    String openScopes;

    @Option(names = "--admin-loopback-only", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Admin routes answer loopback clients only, key or not (default ${DEFAULT-VALUE}; --no-admin-loopback-only to lift).")
    boolean adminLoopbackOnly;

    @Option(names = "--metrics-loopback-only", defaultValue = "false", description = "/metrics answers loopback clients only (default ${DEFAULT-VALUE}).")
    boolean metricsLoopbackOnly;

    @Option(names = "--keys-reload-interval", defaultValue = "PT1S", description = "How often the keys file is checked for changes (default ${DEFAULT-VALUE}).")
    Duration keysReloadInterval;

    @Option(names = "--rate-per-ip", defaultValue = "50", description = "Requests/s per address without a valid key; 0 = off (default ${DEFAULT-VALUE}).")
    double ratePerIp;

    @Option(names = "--burst-per-ip", defaultValue = "100", description = "Burst per address (default ${DEFAULT-VALUE}).")
    int burstPerIp;

    @Option(names = "--rate-per-key", defaultValue = "1000", description = "Requests/s per API key; 0 = off (default ${DEFAULT-VALUE}).")
    double ratePerKey;

    @Option(names = "--burst-per-key", defaultValue = "2000", description = "Burst per API key (default ${DEFAULT-VALUE}).")
    int burstPerKey;

    @Option(names = "--rate-limit-loopback", defaultValue = "false",
            description = "Rate-limit loopback clients per address too (default ${DEFAULT-VALUE}: a local proxy is one address for many clients).")
    boolean rateLimitLoopback;

    @Option(names = "--rate-limit-clients", defaultValue = "100000", description = "Most addresses (and keys) with their own bucket (default ${DEFAULT-VALUE}).")
    int rateLimitClients;

    @Option(names = "--request-read-timeout", defaultValue = "PT10S",
            description = "A request must arrive complete within this long of its first byte, else 408 and close (default ${DEFAULT-VALUE}).")
    Duration requestReadTimeout;

    @Option(names = "--max-connections", defaultValue = "10000", description = "Open connections beyond this get 503 and are closed (default ${DEFAULT-VALUE}).")
    int maxConnections;

    AuthConfig auth() {
        return new AuthConfig(keysFile, Scope.parseList(openScopes), adminLoopbackOnly, metricsLoopbackOnly, keysReloadInterval);
    }

    RateLimitConfig rateLimits() {
        return new RateLimitConfig(ratePerIp, burstPerIp, ratePerKey, burstPerKey, rateLimitLoopback, rateLimitClients);
    }

    ConnectionLimits connectionLimits() {
        return new ConnectionLimits(requestReadTimeout.toMillis(), maxConnections);
    }

    /** The keys file watcher (loaded once, not yet polling), or null in dev mode. */
    KeyRingWatcher keyWatcher(AuthConfig auth) throws IOException {
        return auth.keysFile() == null ? null : new KeyRingWatcher(auth.keysFile(), auth.reloadInterval());
    }

    static Admission admission(AuthConfig auth, KeyRingWatcher keys, RateLimitConfig limits) {
        return new Admission(new AccessPolicy(auth, keys == null ? null : keys::current), limits);
    }
}

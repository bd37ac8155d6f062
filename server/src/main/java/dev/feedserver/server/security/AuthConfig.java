package dev.feedserver.server.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Access-control settings, validated once at start-up.
 *
 * @param keysFile the keys file; null runs the server without keys (dev mode: every route open
 *                 to loopback clients only)
 * @param openScopes scopes every client holds without a key (e.g. {@code feed:read} for a public
 *                   demo feed); {@code admin} can never be open
 * @param adminLoopbackOnly admin routes answer only loopback clients, key or not
 * @param metricsLoopbackOnly {@code /metrics} answers only loopback clients
 * @param reloadInterval how often the keys file is checked for changes
 */
public record AuthConfig(Path keysFile, Set<Scope> openScopes, boolean adminLoopbackOnly, boolean metricsLoopbackOnly,
                         Duration reloadInterval) {
    public AuthConfig {
        openScopes = openScopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(openScopes));
        if (openScopes.contains(Scope.ADMIN)) {
            throw new IllegalArgumentException("open-scopes must not include admin: admin routes always need an admin key");
        }
        if (reloadInterval.isNegative() || reloadInterval.isZero() || reloadInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("keys-reload-interval must be in (0, PT10M], got " + reloadInterval);
        }
    }

    /** The effective policy in one line, for the start-up log. */
    public String describe(int keys) {
        String base = keysFile == null
                ? "no keys file (dev mode): every route open to loopback clients; other clients hold only the open scopes"
                : "keys file " + keysFile.toAbsolutePath() + " (" + keys + " keys, checked for changes every " + reloadInterval.toMillis() + " ms)";
        return "auth: " + base + "; open scopes: " + Scope.names(openScopes)
                + "; admin routes: " + (adminLoopbackOnly ? "loopback clients only" : "any client with an admin key")
                + "; /metrics: " + (metricsLoopbackOnly ? "loopback clients only" : "open")
                + "; /healthz, /readyz: open";
    }
}

package dev.feedserver.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * Every route the server answers. A route either matches a path exactly or, when it has an
 * {@code {id}} segment, a fixed prefix followed by one non-empty segment. {@code inline} routes
 * are trivial and answered on the event loop; the rest go to the worker pool. {@link #WEB_CLIENT}
 * also matches {@code /} itself, as its id {@code index.html}.
 */
public enum Route {
    FEED("feed", "/v1/feed", false, false, Set.of(HttpMethod.GET)),
    EVENTS("events", "/v1/events", false, false, Set.of(HttpMethod.POST)),
    ITEM("item", "/v1/items/", true, false, Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)),
    USER("user", "/v1/users/", true, false, Set.of(HttpMethod.GET)),
    GENERATE("generate", "/v1/generate", false, false, Set.of(HttpMethod.POST, HttpMethod.GET)),
    /** {@code /v1/generate/{job}/outputs/{file}}: its id is {@code job/file}. Before {@link #GENERATE_JOB}. */
    GENERATE_OUTPUT("generate_output", "/v1/generate/", true, false, Set.of(HttpMethod.GET)),
    GENERATE_JOB("generate_job", "/v1/generate/", true, false, Set.of(HttpMethod.GET, HttpMethod.DELETE)),
    ADMIN_RANKER("admin_ranker", "/v1/admin/ranker", false, false, Set.of(HttpMethod.GET, HttpMethod.POST)),
    HEALTHZ("healthz", "/healthz", false, true, Set.of(HttpMethod.GET)),
    READYZ("readyz", "/readyz", false, true, Set.of(HttpMethod.GET)),
    METRICS("metrics", "/metrics", false, false, Set.of(HttpMethod.GET)),
    /**
     * The web client's static files and the API description: {@code /} is the page,
     * {@code /{file}} the rest. Last, so API paths win.
     */
    WEB_CLIENT("web", "/", true, true, Set.of(HttpMethod.GET));

    /**
     * The static files; any other path is not this route's, so unknown paths stay 404.
     * {@code openapi.yaml} is docs/openapi.yaml, copied into the jar at build time.
     */
    public static final Set<String> WEB_CLIENT_FILES = Set.of("index.html", "app.js", "app.css", "openapi.yaml");

    private final String label;
    private final String path;
    private final boolean hasId;
    private final boolean inline;
    private final Set<HttpMethod> methods;

    Route(String label, String path, boolean hasId, boolean inline, Set<HttpMethod> methods) {
        this.label = label;
        this.path = path;
        this.hasId = hasId;
        this.inline = inline;
        this.methods = methods;
    }

    /** Label used in metrics. */
    public String label() {
        return label;
    }

    public boolean inline() {
        return inline;
    }

    public Set<HttpMethod> methods() {
        return methods;
    }

    /** The {@code {id}} segment when {@code requestPath} matches this route ("" for routes without one), else null. */
    String match(String requestPath) {
        if (!hasId) {
            return requestPath.equals(path) ? "" : null;
        }
        if (this == WEB_CLIENT) {
            String file = requestPath.equals(path) ? "index.html" : requestPath.substring(1);
            return WEB_CLIENT_FILES.contains(file) ? file : null;
        }
        if (this == GENERATE_OUTPUT) {
            return generateOutput(requestPath);
        }
        if (requestPath.length() > path.length() && requestPath.startsWith(path)) {
            String id = requestPath.substring(path.length());
            return id.indexOf('/') < 0 ? id : null;
        }
        return null;
    }

    /** {@code job/file} for {@code /v1/generate/{job}/outputs/{file}}, else null. */
    private String generateOutput(String requestPath) {
        if (!requestPath.startsWith(path)) {
            return null;
        }
        String[] parts = requestPath.substring(path.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].equals("outputs") || parts[2].isEmpty()) {
            return null;
        }
        return parts[0] + "/" + parts[2];
    }

    /** The route matching {@code requestPath}, with its id segment, or null. */
    public static Match find(String requestPath) {
        for (Route route : values()) {
            String id = route.match(requestPath);
            if (id != null) {
                return new Match(route, route.hasId ? id : null);
            }
        }
        return null;
    }

    /** A matched route and its decoded {@code {id}} segment (null when the route has none). */
    public record Match(Route route, String id) {
    }
}

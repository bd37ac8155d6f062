package dev.feedserver.server.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. Each route and method needs one scope (see {@link RouteScopes}); a key
 * holds a set of them. {@code generate} covers the generation jobs API ({@code /v1/generate}).
 * Immutable.
 */
public enum Scope {
    FEED_READ("feed:read"),
    EVENTS_WRITE("events:write"),
    ITEMS_WRITE("items:write"),
    GENERATE("generate"),
    ADMIN("admin");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    /** The name used in keys files, flags and {@code WWW-Authenticate}. */
    public String wire() {
        return wire;
    }

    /** The scope named {@code name}; throws naming the valid ones otherwise. */
    public static Scope parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Scope s : values()) {
            if (s.wire.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + name.trim() + "'; known: " + names(EnumSet.allOf(Scope.class)));
    }

    /**
     * A comma-separated list of scopes; empty or {@code none} is the empty set, {@code all} every
     * scope.
     */
    public static Set<Scope> parseList(String list) {
        String trimmed = list == null ? "" : list.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return EnumSet.noneOf(Scope.class);
        }
        if (trimmed.equalsIgnoreCase("all")) {
            return EnumSet.allOf(Scope.class);
        }
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        Arrays.stream(trimmed.split(",")).filter(s -> !s.isBlank()).map(Scope::parse).forEach(out::add);
        return out;
    }

    /** The wire names joined by commas, in declaration order ("none" when empty). */
    public static String names(Set<Scope> scopes) {
        return scopes.isEmpty() ? "none" : scopes.stream().sorted().map(Scope::wire).collect(Collectors.joining(","));
    }
}

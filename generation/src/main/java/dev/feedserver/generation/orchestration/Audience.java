package dev.feedserver.generation.orchestration;

import java.util.List;
import java.util.Locale;

/**
 * Who the content is for. The audience adds its own banned words to every text stage's
 * constraints (a children's story must not say "kill", whatever the brief forgot).
 */
public enum Audience {
    CHILDREN(List.of("kill", "blood", "dead", "gun", "hate")),
    GENERAL(List.of());

    private final List<String> bannedWords;

    Audience(List<String> bannedWords) {
        this.bannedWords = bannedWords;
    }

    /** Words no text for this audience may contain, lower case. */
    public List<String> bannedWords() {
        return bannedWords;
    }

    /** The wire name: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, naming the allowed ones when it is not one of them. */
    public static Audience parse(String wire) {
        for (Audience audience : values()) {
            if (audience.wireName().equals(wire)) {
                return audience;
            }
        }
        throw new IllegalArgumentException("audience must be one of children, general (got '" + wire + "')");
    }
}

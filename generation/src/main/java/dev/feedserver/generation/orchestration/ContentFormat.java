package dev.feedserver.generation.orchestration;

/**
 * What a brief asks for, which decides the stages of its plan: every format has a premise, a
 * story, a title and a cover; {@link #NARRATED} adds the narration audio, {@link #VIDEO} adds the
 * narration and a short video of the cover over it.
 */
public enum ContentFormat {
    STORY,
    NARRATED,
    VIDEO;

    /** The wire name: lower case. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a wire name, naming the allowed ones when it is not one of them. */
    public static ContentFormat parse(String wire) {
        for (ContentFormat format : values()) {
            if (format.wireName().equals(wire)) {
                return format;
            }
        }
        throw new IllegalArgumentException("format must be one of story, narrated, video (got '" + wire + "')");
    }
}

package dev.feedserver.generation.media;

import java.util.List;

/**
 * What a cover shows and how large it is. Immutable; validated on construction.
 *
 * @param title  the text drawn large; not blank
 * @param topic  decides the palette (the same topic always gives the same colours); may be
 *               blank, never null
 * @param tags   a few keywords; each adds a shape, so covers of one topic still vary; copied
 * @param width  pixels, {@value #MIN_SIZE}..{@value #MAX_SIZE}
 * @param height pixels, {@value #MIN_SIZE}..{@value #MAX_SIZE}
 */
public record CoverRequest(String title, String topic, List<String> tags, int width, int height) {

    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 2048;

    public CoverRequest {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a cover needs a non-blank title");
        }
        if (topic == null) {
            throw new IllegalArgumentException("topic must not be null (use \"\" for none)");
        }
        if (tags == null || tags.stream().anyMatch(t -> t == null)) {
            throw new IllegalArgumentException("tags must be a list without nulls");
        }
        tags = List.copyOf(tags);
        checkSize("width", width);
        checkSize("height", height);
    }

    private static void checkSize(String what, int pixels) {
        if (pixels < MIN_SIZE || pixels > MAX_SIZE) {
            throw new IllegalArgumentException("cover " + what + " must be " + MIN_SIZE + ".." + MAX_SIZE + " pixels, got " + pixels);
        }
    }
}

package dev.feedserver.generation.media;

import java.awt.Color;
import java.util.Locale;

/**
 * The colours of a cover, all derived from one hue that a stable hash of the topic picks: a
 * dark background gradient of that hue (lighter at the top), an accent near its complement
 * (split-complementary, so it contrasts without clashing), shapes in a neighbouring hue, and a
 * faintly tinted white for the title, which stays readable on every background. Immutable.
 *
 * @param hue        the topic's hue in {@code [0, 1)}
 * @param background the gradient's top colour
 * @param backgroundEnd the gradient's bottom colour
 * @param accent     the label and the rule under it
 * @param shape      the translucent tag shapes
 * @param text       the title
 */
public record CoverPalette(float hue, Color background, Color backgroundEnd, Color accent, Color shape, Color text) {

    /** The palette of {@code topic}, ignoring case and surrounding blanks. */
    public static CoverPalette forTopic(String topic) {
        float hue = (float) StableHash.unit(StableHash.of(topic.strip().toLowerCase(Locale.ROOT)));
        return new CoverPalette(hue,
                hsb(hue, 0.55f, 0.45f),
                hsb(hue + 0.06f, 0.70f, 0.15f),
                hsb(hue + 0.42f, 0.60f, 0.98f),
                hsb(hue - 0.08f, 0.45f, 0.90f),
                hsb(hue, 0.05f, 1.00f));
    }

    private static Color hsb(float hue, float saturation, float brightness) {
        float wrapped = hue - (float) Math.floor(hue);
        return new Color(Color.HSBtoRGB(wrapped, saturation, brightness));
    }
}

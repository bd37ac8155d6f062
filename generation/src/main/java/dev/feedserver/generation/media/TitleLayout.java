package dev.feedserver.generation.media;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A title wrapped into a box: the largest font size (from a start size down in steps of 10%)
 * at which the greedily word-wrapped lines fit both the box's width and its height. A word
 * wider than the box is broken between characters. When even the smallest size does not fit,
 * the lines that fit are kept and the last one ends in an ellipsis. Immutable.
 *
 * @param font       the chosen font
 * @param lines      the lines, top to bottom, each no wider than the box
 * @param lineHeight the distance between baselines, pixels
 * @param ascent     the font's ascent, pixels (from the top of a line to its baseline)
 */
record TitleLayout(Font font, List<String> lines, int lineHeight, int ascent) {

    private static final String ELLIPSIS = "\u2026";

    TitleLayout {
        lines = List.copyOf(lines);
    }

    /**
     * Fits {@code title} into {@code maxWidth x maxHeight}, measuring with {@code g}'s rendering
     * hints (they decide the glyph advances).
     */
    static TitleLayout fit(Graphics2D g, Font base, String title, int maxWidth, int maxHeight, float startSize, float minSize) {
        String[] words = title.strip().split("\\s+");
        float size = Math.max(startSize, minSize);
        while (true) {
            Font font = base.deriveFont(size);
            FontMetrics metrics = g.getFontMetrics(font);
            List<String> lines = wrap(words, metrics, maxWidth);
            int height = metrics.getHeight();
            if (lines.size() * height <= maxHeight) {
                return new TitleLayout(font, lines, height, metrics.getAscent());
            }
            if (size <= minSize) {
                int keep = Math.max(1, maxHeight / height);
                return new TitleLayout(font, truncate(lines, keep, metrics, maxWidth), height, metrics.getAscent());
            }
            size = Math.max(minSize, size * 0.9f);
        }
    }

    private static List<String> wrap(String[] words, FontMetrics metrics, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= maxWidth) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            // the word starts a new line; break it if it is wider than a line on its own
            String rest = word;
            while (metrics.stringWidth(rest) > maxWidth) {
                int cut = longestPrefixThatFits(rest, metrics, maxWidth);
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** At least one code point, so a box narrower than one glyph still makes progress. */
    private static int longestPrefixThatFits(String text, FontMetrics metrics, int maxWidth) {
        int end = text.offsetByCodePoints(0, 1);
        while (end < text.length()) {
            int next = text.offsetByCodePoints(end, 1);
            if (metrics.stringWidth(text.substring(0, next)) > maxWidth) {
                break;
            }
            end = next;
        }
        return end;
    }

    private static List<String> truncate(List<String> lines, int keep, FontMetrics metrics, int maxWidth) {
        if (lines.size() <= keep) {
            return lines;
        }
        List<String> kept = new ArrayList<>(lines.subList(0, keep));
        String last = kept.get(keep - 1);
        while (!last.isEmpty() && metrics.stringWidth(last + ELLIPSIS) > maxWidth) {
            last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
        }
        kept.set(keep - 1, last.strip() + ELLIPSIS);
        return kept;
    }
}

package dev.feedserver.generation.media;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Locale;

/**
 * The translucent shapes behind a cover's title: one per tag (at most {@value #MAX_SHAPES}),
 * its kind (disc, ring, triangle or diagonal band), place, size and angle all drawn from a
 * stable hash of the tag, so covers of one topic differ with their tags and the same tags
 * always give the same picture. Stateless and thread-safe.
 */
final class TagShapes {

    static final int MAX_SHAPES = 6;

    private TagShapes() {
    }

    /** Draws the shapes of {@code seeds} (the tags, or the topic when there are none). */
    static void draw(Graphics2D g, List<String> seeds, CoverPalette palette, int width, int height) {
        Composite previous = g.getComposite();
        int side = Math.min(width, height);
        for (int i = 0; i < Math.min(seeds.size(), MAX_SHAPES); i++) {
            long h = StableHash.of(seeds.get(i).strip().toLowerCase(Locale.ROOT) + "#" + i);
            double x = StableHash.unit(StableHash.mix(h + 1)) * width;
            double y = StableHash.unit(StableHash.mix(h + 2)) * height;
            double size = (0.18 + 0.40 * StableHash.unit(StableHash.mix(h + 3))) * side;
            double angle = StableHash.unit(StableHash.mix(h + 4)) * Math.PI;
            float alpha = 0.10f + 0.14f * (float) StableHash.unit(StableHash.mix(h + 5));
            Color colour = i % 2 == 0 ? palette.shape() : palette.accent();
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
            g.setColor(colour);
            switch ((int) Long.remainderUnsigned(h, 4)) {
                case 0 -> g.fill(new Ellipse2D.Double(x - size / 2, y - size / 2, size, size));
                case 1 -> {
                    g.setStroke(new BasicStroke((float) Math.max(1.5, size * 0.08)));
                    g.draw(new Ellipse2D.Double(x - size / 2, y - size / 2, size, size));
                }
                case 2 -> g.fill(triangle(x, y, size, angle));
                default -> g.fill(band(x, y, size, angle, width, height));
            }
        }
        g.setComposite(previous);
    }

    private static Path2D triangle(double cx, double cy, double size, double angle) {
        Path2D path = new Path2D.Double();
        for (int k = 0; k < 3; k++) {
            double a = angle + k * 2 * Math.PI / 3;
            double px = cx + Math.cos(a) * size / 2;
            double py = cy + Math.sin(a) * size / 2;
            if (k == 0) {
                path.moveTo(px, py);
            } else {
                path.lineTo(px, py);
            }
        }
        path.closePath();
        return path;
    }

    /** A band across the whole cover through (cx, cy), {@code size / 3} thick. */
    private static Path2D band(double cx, double cy, double size, double angle, int width, int height) {
        double length = Math.hypot(width, height);
        double dx = Math.cos(angle) * length;
        double dy = Math.sin(angle) * length;
        double nx = -Math.sin(angle) * size / 6;
        double ny = Math.cos(angle) * size / 6;
        Path2D path = new Path2D.Double();
        path.moveTo(cx - dx + nx, cy - dy + ny);
        path.lineTo(cx + dx + nx, cy + dy + ny);
        path.lineTo(cx + dx - nx, cy + dy - ny);
        path.lineTo(cx - dx - nx, cy - dy - ny);
        path.closePath();
        return path;
    }
}

package dev.feedserver.generation.media;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws a cover with Java2D: a background gradient in the topic's palette
 * ({@link CoverPalette}), translucent shapes from the tags ({@link TagShapes}), the topic as a
 * small label, the title word-wrapped at the largest size that fits ({@link TitleLayout}), and
 * the tags along the bottom. Anti-aliased; no window system needed (works with
 * {@code java.awt.headless=true}); the same request always gives byte-identical PNGs on one
 * JDK and font set.
 *
 * <p>Threading: {@link #renderPng} may run on several threads at once (each call draws on its
 * own image). Lifecycle: holds nothing; {@link #close} only makes later calls fail, as the
 * {@link ImageRenderer} contract says.
 */
public final class CoverRenderer implements ImageRenderer {

    private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static final Font PLAIN = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private volatile boolean closed;

    @Override
    public byte[] renderPng(CoverRequest request) {
        if (closed) {
            throw new IllegalStateException("the cover renderer is closed");
        }
        return Png.encode(render(request));
    }

    /** The cover as an image (RGB, no alpha), for callers that compose it further. */
    public BufferedImage render(CoverRequest request) {
        int width = request.width();
        int height = request.height();
        CoverPalette palette = CoverPalette.forTopic(request.topic());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            hints(g);
            g.setPaint(new GradientPaint(0, 0, palette.background(), width * 0.3f, height, palette.backgroundEnd()));
            g.fillRect(0, 0, width, height);
            List<String> seeds = !request.tags().isEmpty() ? request.tags()
                    : request.topic().isBlank() ? List.of(request.title()) : List.of(request.topic());
            TagShapes.draw(g, seeds, palette, width, height);
            drawText(g, request, palette);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    /** Label at the top, tags at the bottom, the title in the box between, resting on its bottom. */
    private static void drawText(Graphics2D g, CoverRequest request, CoverPalette palette) {
        int width = request.width();
        int height = request.height();
        int side = Math.min(width, height);
        int margin = Math.round(side * 0.08f);
        int top = margin;
        if (!request.topic().isBlank()) {
            Font label = BOLD.deriveFont(Math.max(8f, side * 0.045f));
            FontMetrics metrics = g.getFontMetrics(label);
            g.setFont(label);
            g.setColor(palette.accent());
            String text = fitOneLine(request.topic().strip().toUpperCase(Locale.ROOT), metrics, width - 2 * margin);
            g.drawString(text, margin, top + metrics.getAscent());
            top += metrics.getHeight();
            int rule = Math.max(1, Math.round(side * 0.008f));
            g.fillRect(margin, top + rule, Math.max(rule, side / 8), rule);
            top += 4 * rule;
        }
        int bottom = height - margin;
        if (!request.tags().isEmpty()) {
            Font tagFont = PLAIN.deriveFont(Math.max(8f, side * 0.035f));
            FontMetrics metrics = g.getFontMetrics(tagFont);
            g.setFont(tagFont);
            g.setColor(new Color(palette.text().getRGB() & 0xffffff | 0xb4 << 24, true));
            g.drawString(tagLine(request.tags(), metrics, width - 2 * margin), margin, bottom - metrics.getDescent());
            bottom -= metrics.getHeight() + Math.round(side * 0.02f);
        }
        TitleLayout layout = TitleLayout.fit(g, BOLD, request.title(), width - 2 * margin, Math.max(1, bottom - top),
                side * 0.13f, Math.max(7f, side * 0.035f));
        g.setFont(layout.font());
        float shadow = Math.max(1f, layout.font().getSize2D() / 24f);
        int y = bottom - layout.lines().size() * layout.lineHeight() + layout.ascent();
        for (String line : layout.lines()) {
            // a soft shadow keeps light text readable over the lighter shapes
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.45f));
            g.setColor(Color.BLACK);
            g.drawString(line, margin + shadow, y + shadow);
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(palette.text());
            g.drawString(line, margin, y);
            y += layout.lineHeight();
        }
    }

    /** As many "#tag" as fit on one line, in order. */
    private static String tagLine(List<String> tags, FontMetrics metrics, int maxWidth) {
        StringBuilder line = new StringBuilder();
        for (String tag : tags) {
            String next = (line.isEmpty() ? "" : line + "  ") + "#" + tag.strip();
            if (metrics.stringWidth(next) > maxWidth) {
                break;
            }
            line.setLength(0);
            line.append(next);
        }
        return line.toString();
    }

    private static String fitOneLine(String text, FontMetrics metrics, int maxWidth) {
        String fitted = text;
        while (fitted.length() > 1 && metrics.stringWidth(fitted) > maxWidth) {
            fitted = fitted.substring(0, fitted.length() - 1);
        }
        return fitted.equals(text) ? text : fitted.strip() + "\u2026";
    }

    /** Makes later {@link #renderPng} calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}

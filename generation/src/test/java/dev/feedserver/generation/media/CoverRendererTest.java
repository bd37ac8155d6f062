package dev.feedserver.generation.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Covers decode at their size, are deterministic, take their colours from the topic, and fit any title. */
class CoverRendererTest {

    private final CoverRenderer renderer = new CoverRenderer();

    @Test
    void rendersAPngOfTheRequestedSizeHeadless() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "the build runs the tests with java.awt.headless=true");
        for (int[] size : new int[][] {{64, 64}, {640, 360}, {360, 640}, {2048, 64}}) {
            byte[] png = renderer.renderPng(new CoverRequest("Ten tips for a faster laptop", "technology",
                    List.of("hardware", "speed"), size[0], size[1]));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(size[0], image.getWidth());
            assertEquals(size[1], image.getHeight());
        }
    }

    @Test
    void theSameRequestGivesTheSameBytes() {
        CoverRequest request = new CoverRequest("The lighthouse keeper's last winter", "short fiction", List.of("sea", "storm"), 480, 270);
        byte[] first = renderer.renderPng(request);
        assertArrayEquals(first, new CoverRenderer().renderPng(request));
        byte[] otherTags = renderer.renderPng(new CoverRequest(request.title(), request.topic(), List.of("sea", "calm"), 480, 270));
        assertFalse(Arrays.equals(first, otherTags), "tags change the shapes");
    }

    @Test
    void differentTopicsGetDifferentDominantColours() throws IOException {
        String title = "What happens next";
        int[] cooking = meanRgb(renderer.renderPng(new CoverRequest(title, "cooking", List.of(), 320, 320)));
        int[] astronomy = meanRgb(renderer.renderPng(new CoverRequest(title, "astronomy", List.of(), 320, 320)));
        double distance = Math.sqrt(square(cooking[0] - astronomy[0]) + square(cooking[1] - astronomy[1]) + square(cooking[2] - astronomy[2]));
        assertTrue(distance > 20, "mean colours " + Arrays.toString(cooking) + " and " + Arrays.toString(astronomy) + " are too close");
        assertEquals(CoverPalette.forTopic("Cooking "), CoverPalette.forTopic("cooking"), "the palette ignores case and blanks");
        long hues = List.of("cooking", "astronomy", "travel", "finance", "football", "gardening", "music", "history").stream()
                .map(t -> Math.round(CoverPalette.forTopic(t).hue() * 12)).distinct().count();
        assertTrue(hues >= 5, "eight topics spread over the colour wheel: " + hues + " of 12 hue sectors");
    }

    @Test
    void aLongTitleIsWrappedAndShrunkToFit() throws IOException {
        String title = String.join(" ", java.util.Collections.nCopies(40, "remarkably")) + " " + "x".repeat(300);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                renderer.renderPng(new CoverRequest(title, "history", List.of("long"), 200, 200))));
        assertEquals(200, image.getWidth());

        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        var g = scratch.createGraphics();
        try {
            var base = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12);
            TitleLayout roomy = TitleLayout.fit(g, base, "A title of several words that needs more than one line", 300, 400, 60, 8);
            assertTrue(roomy.lines().size() > 1, "wrapped: " + roomy.lines());
            assertTrue(roomy.font().getSize2D() < 60, "shrunk from 60 to fit the width");
            assertTrue(roomy.lines().size() * roomy.lineHeight() <= 400);
            for (String line : roomy.lines()) {
                assertTrue(g.getFontMetrics(roomy.font()).stringWidth(line) <= 300, "line wider than the box: " + line);
            }
            TitleLayout cramped = TitleLayout.fit(g, base, title, 120, 40, 30, 10);
            assertEquals(10f, cramped.font().getSize2D(), "the smallest size when nothing fits");
            assertTrue(cramped.lines().size() * cramped.lineHeight() <= 40, "only the lines that fit are kept");
            assertTrue(cramped.lines().getLast().endsWith("\u2026"), "and the last one says there is more: " + cramped.lines());
            TitleLayout oneWord = TitleLayout.fit(g, base, "y".repeat(200), 100, 1000, 20, 20);
            assertTrue(oneWord.lines().size() > 1, "a word wider than the box is broken");
            assertEquals("y".repeat(200), String.join("", oneWord.lines()));
        } finally {
            g.dispose();
        }
    }

    @Test
    void badRequestsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest("t", "", List.of(), 63, 100));
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest("t", "", List.of(), 100, 2049));
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest("  ", "", List.of(), 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest(null, "", List.of(), 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest("t", null, List.of(), 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new CoverRequest("t", "", Arrays.asList("a", null), 100, 100));
        var message = assertThrows(IllegalArgumentException.class, () -> new CoverRequest("t", "", List.of(), 4096, 100)).getMessage();
        assertTrue(message.contains("width") && message.contains("64..2048"), message);
    }

    @Test
    void aClosedRendererRefuses() {
        CoverRenderer closed = new CoverRenderer();
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.renderPng(new CoverRequest("t", "", List.of(), 64, 64)));
    }

    private static int[] meanRgb(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        long r = 0;
        long g = 0;
        long b = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                r += rgb >> 16 & 0xff;
                g += rgb >> 8 & 0xff;
                b += rgb & 0xff;
            }
        }
        return new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
    }

    private static double square(double v) {
        return v * v;
    }
}

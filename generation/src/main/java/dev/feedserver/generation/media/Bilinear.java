package dev.feedserver.generation.media;

import java.awt.image.BufferedImage;

/**
 * Scales a small square RGB float image to any size by bilinear interpolation, with pixel
 * centres aligned ({@code src = (dst + 0.5) * S / size - 0.5}, clamped at the edges), the
 * convention of most image libraries' "half-pixel" resize. Samples are clamped to
 * {@code [0, 1]} (NaN to 0) before interpolating; results are rounded to 8 bits. Stateless and thread-safe.
 */
final class Bilinear {

    private Bilinear() {
    }

    /**
     * @param pixels {@code 3 * side * side} floats, row-major, channels last (RGB)
     */
    static BufferedImage scale(float[] pixels, int side, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            double sy = clamp((y + 0.5) * side / height - 0.5, side - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, side - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = clamp((x + 0.5) * side / width - 0.5, side - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, side - 1);
                double fx = sx - x0;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double top = lerp(at(pixels, side, x0, y0, c), at(pixels, side, x1, y0, c), fx);
                    double bottom = lerp(at(pixels, side, x0, y1, c), at(pixels, side, x1, y1, c), fx);
                    rgb = rgb << 8 | (int) Math.round(lerp(top, bottom, fy) * 255);
                }
                row[x] = rgb;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** The sample clamped to [0, 1]; NaN reads as 0. */
    private static double at(float[] pixels, int side, int x, int y, int channel) {
        float v = pixels[(y * side + x) * 3 + channel];
        return v >= 0 ? Math.min(v, 1f) : 0;
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private static double clamp(double v, int max) {
        return Math.clamp(v, 0.0, max);
    }
}

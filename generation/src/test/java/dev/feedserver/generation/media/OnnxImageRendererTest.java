package dev.feedserver.generation.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.models.OnnxModel;
import dev.feedserver.nativelib.Int8Gemm.Activation;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX image binding: features in, an S x S x 3 image out, scaled to the cover's size. */
public class OnnxImageRendererTest {

    static final int SIDE = 16;
    static final int INPUT = 32;

    @TempDir
    Path dir;

    /**
     * One layer with zero weights, so the image is its bias whatever the input: the top half
     * red on the left and green on the right, the bottom half blue.
     */
    static Path quadrantsModel(Path dir) throws IOException {
        float[] bias = new float[3 * SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int channel = y >= SIDE / 2 ? 2 : x < SIDE / 2 ? 0 : 1;
                bias[(y * SIDE + x) * 3 + channel] = 1;
            }
        }
        Layer layer = new Layer(INPUT, 3 * SIDE * SIDE, new float[INPUT * 3 * SIDE * SIDE], bias, Activation.NONE, -1);
        return export(dir.resolve("quadrants.onnx"), List.of(layer));
    }

    /** A small random MLP (32 -> 64 relu -> 768): its image depends on the input. */
    public static Path mlpModel(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        Layer hidden = new Layer(INPUT, 64, randoms(random, INPUT * 64, 1.0), randoms(random, 64, 0.1), Activation.RELU, -1);
        Layer image = new Layer(64, 3 * SIDE * SIDE, randoms(random, 64 * 3 * SIDE * SIDE, 0.3), filled(3 * SIDE * SIDE, 0.5f),
                Activation.NONE, 0);
        return export(dir.resolve("mlp.onnx"), List.of(hidden, image));
    }

    @Test
    void theOutputIsReadAsRowsOfRgbPixelsAndScaledUp() throws Exception {
        try (OnnxImageRenderer renderer = new OnnxImageRenderer(OnnxModel.open("quadrants", quadrantsModel(dir), 1, false))) {
            assertEquals(SIDE, renderer.modelSide());
            BufferedImage image = decode(renderer.renderPng(request("Anything", 64, 96)));
            assertEquals(64, image.getWidth());
            assertEquals(96, image.getHeight());
            assertEquals(0xff0000, image.getRGB(4, 4) & 0xffffff, "top left is red");
            assertEquals(0x00ff00, image.getRGB(60, 4) & 0xffffff, "top right is green");
            assertEquals(0x0000ff, image.getRGB(32, 90) & 0xffffff, "the bottom is blue");
            int edge = image.getRGB(31, 4) & 0xffffff;
            assertTrue((edge >> 16 & 0xff) > 0 && (edge >> 8 & 0xff) > 0, "bilinear: red and green blend at the border: "
                    + Integer.toHexString(edge));
        }
    }

    @Test
    void theImageFollowsTheConditioningAndIsDeterministic() throws Exception {
        try (OnnxImageRenderer renderer = new OnnxImageRenderer(OnnxModel.open("mlp", mlpModel(dir), 1, false))) {
            byte[] harbour = renderer.renderPng(request("A quiet harbour at dawn", 128, 128));
            assertArrayEquals(harbour, renderer.renderPng(request("A quiet harbour at dawn", 128, 128)));
            assertFalse(Arrays.equals(harbour, renderer.renderPng(request("Ten tips for a faster laptop", 128, 128))),
                    "another title, another image");
            assertEquals(128, decode(harbour).getWidth());
        }
    }

    @Test
    void aModelOfTheWrongShapeFailsClearlyAndIsClosed() throws Exception {
        Layer layer = new Layer(INPUT, 100, new float[INPUT * 100], null, Activation.NONE, -1);
        OnnxModel model = OnnxModel.open("wrong", export(dir.resolve("wrong.onnx"), List.of(layer)), 1, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxImageRenderer(model));
        assertTrue(e.getMessage().contains("3 * S * S") && e.getMessage().contains("100"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.run(new float[][] {new float[INPUT]}), "closed on failure");
        assertEquals(4, OnnxImageRenderer.sideOf(48));
        assertThrows(IllegalArgumentException.class, () -> OnnxImageRenderer.sideOf(3 * 15));
        assertThrows(IllegalArgumentException.class, () -> OnnxImageRenderer.sideOf(0));
    }

    @Test
    void featuresAreAUnitLengthHashedBagOfWords() {
        CoverRequest request = new CoverRequest("The Harbour, at dawn!", "Travel", List.of("sea", "boats"), 64, 64);
        float[] features = HashedFeatures.of(request, 64);
        assertEquals(64, features.length);
        double norm = 0;
        for (float f : features) {
            norm += f * f;
        }
        assertEquals(1.0, norm, 1e-5);
        assertEquals(List.of("the", "harbour", "at", "dawn", "travel", "sea", "boats"), HashedFeatures.words(request));
        assertArrayEquals(features, HashedFeatures.of(new CoverRequest("the harbour at DAWN", "travel", List.of("sea boats"), 64, 64), 64),
                "case, punctuation and field boundaries do not matter");
        assertFalse(Arrays.equals(features, HashedFeatures.of(request("Ten tips for a faster laptop", 64, 64), 64)));
        assertArrayEquals(new float[8], HashedFeatures.of(new CoverRequest("!!!", "", List.of(), 64, 64), 8), "no words, no signal");
        assertThrows(IllegalArgumentException.class, () -> HashedFeatures.of(request, 0));
    }

    @Test
    void bilinearScalingAlignsPixelCentres() {
        // 2 x 2 grey ramp: 0 on the left column, 1 on the right
        float[] pixels = {0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1};
        BufferedImage image = Bilinear.scale(pixels, 2, 4, 4);
        int[] row = new int[4];
        for (int x = 0; x < 4; x++) {
            row[x] = image.getRGB(x, 2) & 0xff;
        }
        assertArrayEquals(new int[] {0, 64, 191, 255}, row, "source x = (x + 0.5) / 2 - 0.5, clamped: 0, 0.25, 0.75, 1");
        float[] wild = {-1, Float.NaN, 2, 5, 5, 5, -3, -3, -3, 0.5f, 0.5f, 0.5f};
        assertEquals(0x0000ff, Bilinear.scale(wild, 2, 64, 64).getRGB(0, 0) & 0xffffff, "clamped to [0, 1], NaN to 0");
    }

    static CoverRequest request(String title, int width, int height) {
        return new CoverRequest(title, "travel", List.of("sea"), width, height);
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static Path export(Path file, List<Layer> layers) throws IOException {
        return Files.write(file, OnnxMlpExporter.exportFloat(layers, new int[] {layers.size() - 1}, MlpExportInfo.of("test", 1)));
    }

    private static float[] randoms(SplittableRandom random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }
}

package dev.feedserver.generation.media;

import dev.feedserver.generation.models.OnnxModel;
import java.awt.image.BufferedImage;

/**
 * An {@link ImageRenderer} backed by an ONNX model from the registry, so a heavier image
 * generator drops in where a GPU is: the model is any {@link OnnxModel} (one float input
 * {@code [batch, n]}, one float output {@code [batch, m]}).
 *
 * <p><b>Shape contract.</b> Input: the request's {@link HashedFeatures} vector of the model's
 * input width {@code n}. Output: {@code m = 3 * S * S} floats for an {@code S x S} RGB image,
 * row-major, channels last ({@code out[(y * S + x) * 3 + c]}, {@code c} = red, green, blue),
 * each in {@code [0, 1]} (values outside are clamped). The image is scaled to the requested
 * size with bilinear interpolation ({@link Bilinear}). The constructor runs the model once on a
 * zero vector to check {@code m}, so a model of the wrong shape fails when it is loaded, not in
 * the middle of a job.
 *
 * <p>Threading: {@link #renderPng} may run on several threads at once ({@link OnnxModel#run} is
 * thread-safe). Lifecycle: the renderer owns the model: {@link #close} closes it (idempotent);
 * later calls throw {@link IllegalStateException}.
 */
public final class OnnxImageRenderer implements ImageRenderer {

    private final OnnxModel model;
    private final int side;

    /**
     * Wraps {@code model}, taking ownership of it.
     *
     * @throws IllegalArgumentException if the model's output width is not {@code 3 * S * S}
     *                                  for a whole {@code S >= 1}; the model is then closed
     */
    public OnnxImageRenderer(OnnxModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        try {
            int width = model.run(new float[][] {new float[model.inputWidth()]})[0].length;
            this.side = sideOf(width);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.model = model;
    }

    /** {@code S} for an output of {@code 3 * S * S} floats. */
    static int sideOf(int outputWidth) {
        int side = (int) Math.round(Math.sqrt(outputWidth / 3.0));
        if (outputWidth <= 0 || outputWidth % 3 != 0 || side * side * 3 != outputWidth) {
            throw new IllegalArgumentException("an ONNX image model must output 3 * S * S floats (an S x S RGB image, channels last);"
                    + " this one outputs " + outputWidth);
        }
        return side;
    }

    /** {@code S}: the side of the square image the model outputs, before scaling. */
    public int modelSide() {
        return side;
    }

    @Override
    public byte[] renderPng(CoverRequest request) {
        float[] pixels = model.run(new float[][] {HashedFeatures.of(request, model.inputWidth())})[0];
        if (pixels.length != 3 * side * side) {
            throw new IllegalStateException("the ONNX image model output " + pixels.length + " floats, not the " + 3 * side * side
                    + " it gave when it was loaded");
        }
        BufferedImage image = Bilinear.scale(pixels, side, request.width(), request.height());
        return Png.encode(image);
    }

    /** Closes the model. Idempotent. */
    @Override
    public void close() {
        model.close();
    }
}

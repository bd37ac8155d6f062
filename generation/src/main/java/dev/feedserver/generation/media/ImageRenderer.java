package dev.feedserver.generation.media;

/**
 * Turns a {@link CoverRequest} into a PNG: what an image stage asks of whichever model it is
 * bound to ({@link CoverRenderer} everywhere, {@link OnnxImageRenderer} where an ONNX image model
 * is registered), as {@code loaded.as(ImageRenderer.class).renderPng(request)}.
 *
 * <p>Threading: implementations say whether {@link #renderPng} may run on several threads at
 * once. Lifecycle: {@link #close} frees what the renderer holds; it is idempotent.
 */
public interface ImageRenderer extends AutoCloseable {

    /**
     * The image as a PNG file of {@code request.width() x request.height()} pixels.
     *
     * @throws IllegalStateException if the renderer is closed or its model fails
     */
    byte[] renderPng(CoverRequest request);

    @Override
    void close();
}

package dev.feedserver.generation.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes images as PNG in memory. It writes through a memory cache on purpose: plain
 * {@code ImageIO.write} to a stream may buffer through temporary files, depending on a global
 * flag we do not want to change for the whole process. The encoder writes no timestamp, so the
 * same pixels always give the same bytes. Stateless and thread-safe.
 */
final class Png {

    private Png() {
    }

    static byte[] encode(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no PNG image writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding of a " + image.getWidth() + "x" + image.getHeight() + " image failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}

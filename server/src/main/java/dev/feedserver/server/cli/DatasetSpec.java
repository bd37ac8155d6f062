package dev.feedserver.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Which data to serve: {@code synthetic} (the embedded default, generated from a seed) or
 * {@code movielens:DIR} (the ml-latest-small layout). Immutable.
 */
public record DatasetSpec(String kind, Path directory) {
    public static final DatasetSpec SYNTHETIC = new DatasetSpec("synthetic", null);

    public boolean synthetic() {
        return directory == null;
    }

    @Override
    public String toString() {
        return synthetic() ? kind : kind + ":" + directory;
    }

    /** picocli converter with a message that names the accepted forms. */
    public static final class Converter implements CommandLine.ITypeConverter<DatasetSpec> {
        @Override
        public DatasetSpec convert(String value) {
            if (value.equals("synthetic")) {
                return SYNTHETIC;
            }
            if (value.startsWith("movielens:") && value.length() > "movielens:".length()) {
                Path dir = Path.of(value.substring("movielens:".length()));
                if (!Files.isDirectory(dir)) {
                    throw new CommandLine.TypeConversionException("MovieLens directory '" + dir + "' does not exist");
                }
                return new DatasetSpec("movielens", dir);
            }
            throw new CommandLine.TypeConversionException("expected 'synthetic' or 'movielens:DIR', got '" + value + "'");
        }
    }
}

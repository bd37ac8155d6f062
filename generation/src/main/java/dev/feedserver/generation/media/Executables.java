package dev.feedserver.generation.media;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds an executable the way a shell would: the first match in the {@code PATH} directories. Stateless. */
final class Executables {

    private Executables() {
    }

    /** {@code name} in the first directory of {@code pathVariable} (may be null) that has it executable. */
    static Optional<Path> onPath(String name, String pathVariable) {
        if (pathVariable == null || pathVariable.isBlank()) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name);
                if (isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry is skipped, as a shell would
            }
        }
        return Optional.empty();
    }

    static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}

package dev.feedserver.generation.orchestration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes media outputs so that a file under its real name is always whole: to a temporary
 * sibling first, then an atomic move.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class MediaFiles {

    private MediaFiles() {
    }

    /** Writes {@code bytes} to {@code target} through a temporary sibling. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".part");
        Files.write(temporary, bytes);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

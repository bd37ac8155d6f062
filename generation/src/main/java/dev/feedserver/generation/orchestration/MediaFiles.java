package dev.feedserver.generation.orchestration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes media outputs so that a file under its real name is always whole: to a temporary
 * sibling first, then an atomic move.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class MediaFiles {

    private MediaFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target} through a temporary sibling, forced to disk before the
     * rename: the job record that names the file is saved after this returns, so after a crash a
     * named file is whole.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".part");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
    }

    /** Forces a file written by someone else (ffmpeg) to disk. */
    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        forceDirectory(file.getParent());
    }

    /** Forces a directory's entries (a rename, a new file) to disk; a no-op where directories cannot be opened. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Not every platform lets a directory be opened; the rename is still atomic there.
        }
    }
}

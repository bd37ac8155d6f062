package dev.feedserver.server.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The keys file: one key per line, tab-separated
 * {@code id  sha256-hex  scopes  created-at  name}; blank lines and lines starting with
 * {@code #} are ignored. It holds hashes only, never a plaintext key.
 *
 * <p>Reading is strict: any malformed line fails the whole file with its line number, so a
 * half-edited file never silently drops or grants keys. Changes are written to a temporary file
 * and moved into place atomically (the server never reads a partial file), under an exclusive
 * lock on {@code <file>.lock} so concurrent {@code keys} commands do not lose each other's
 * changes. The file is created owner-read/write only where the file system supports it.
 *
 * <p>Stateless; thread-safe.
 */
public final class KeysFile {
    private KeysFile() {
    }

    /** Every key in {@code file}; throws {@link IllegalArgumentException} naming the bad line. */
    public static List<ApiKey> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ApiKey> keys = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ApiKey key = parseLine(line, file, i + 1);
            if (!ids.add(key.id())) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": key id " + key.id() + " appears twice");
            }
            keys.add(key);
        }
        return keys;
    }

    /** Appends {@code key} (creating the file if needed). */
    public static void append(Path file, ApiKey key) throws IOException {
        update(file, keys -> {
            if (keys.stream().anyMatch(k -> k.id().equals(key.id()))) {
                throw new IllegalArgumentException("key id " + key.id() + " already exists in " + file);
            }
            List<ApiKey> out = new ArrayList<>(keys);
            out.add(key);
            return out;
        });
    }

    /** Removes the key with {@code id}; returns whether there was one. */
    public static boolean remove(Path file, String id) throws IOException {
        boolean[] found = new boolean[1];
        update(file, keys -> {
            List<ApiKey> out = new ArrayList<>(keys);
            found[0] = out.removeIf(k -> k.id().equals(id));
            return out;
        });
        return found[0];
    }

    private static void update(Path file, UnaryOperator<List<ApiKey>> change) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(file.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            List<ApiKey> keys = Files.exists(file) ? read(file) : List.of();
            write(file, change.apply(keys));
        }
    }

    private static void write(Path file, List<ApiKey> keys) throws IOException {
        StringBuilder text = new StringBuilder("# feedserver API keys: id, SHA-256 of the key, scopes, created, name. No plaintext keys.\n");
        for (ApiKey k : keys) {
            text.append(k.id()).append('\t').append(HexFormat.of().formatHex(k.sha256())).append('\t')
                    .append(Scope.names(k.scopes())).append('\t').append(k.createdAt()).append('\t').append(k.name()).append('\n');
        }
        Path tmp = file.toAbsolutePath().getParent().resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static ApiKey parseLine(String line, Path file, int number) {
        String[] f = line.split("\t");
        String where = file + " line " + number + ": ";
        if (f.length != 5) {
            throw new IllegalArgumentException(where + "expected 5 tab-separated fields (id, sha256, scopes, created, name), got " + f.length);
        }
        try {
            byte[] hash = HexFormat.of().parseHex(f[1]);
            return new ApiKey(f[0], hash, Scope.parseList(f[2]), f[4], Instant.parse(f[3]));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "created-at is not an ISO-8601 instant");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }
}

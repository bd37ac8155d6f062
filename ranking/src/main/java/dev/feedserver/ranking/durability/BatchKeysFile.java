package dev.feedserver.ranking.durability;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The {@link BatchKeys} window as of a checkpoint, in a file beside it
 * ({@code checkpoint-<sequence>.keys}), because the log segments the checkpoint covers (and
 * the keys in them) may be deleted. Layout (big-endian data stream): magic {@code "FKEY"},
 * version 1, the checkpoint's sequence, the key count, then per key {@code key utf, sequence
 * i64, accepted i32, acceptedAt i64}, then a CRC32C of everything before it. Written to a
 * temporary file, fsynced and renamed. Stateless.
 */
public final class BatchKeysFile {
    private static final int MAGIC = 0x46_4b_45_59; // "FKEY"
    private static final int VERSION = 1;

    private BatchKeysFile() {
    }

    /** The keys file that goes with {@code checkpoint}. */
    public static Path of(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return checkpoint.resolveSibling(name.substring(0, name.length() - ".ckp".length()) + ".keys");
    }

    /** Writes every key of {@code window} at log sequence {@code sequence}. */
    public static void write(BatchKeys window, long sequence, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new java.util.zip.CheckedOutputStream(Files.newOutputStream(tmp), crc), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(sequence);
            java.util.List<java.util.Map.Entry<String, BatchKeys.Entry>> all = new java.util.ArrayList<>();
            window.forEach((key, entry) -> all.add(java.util.Map.entry(key, entry)));
            out.writeInt(all.size());
            for (var e : all) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().sequence());
                out.writeInt(e.getValue().accepted());
                out.writeLong(e.getValue().atMillis());
            }
            out.flush();
            out.writeInt((int) crc.getValue());
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Adds the keys in {@code file} to {@code window} (oldest first, so the window's bounds
     * apply as they would have) and returns the sequence the file was written at.
     *
     * @throws IOException when the file is damaged (its checksum or structure is wrong)
     */
    public static long read(Path file, BatchKeys window) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 24) {
            throw new IOException(file + ": too short for a keys file");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + ": checksum mismatch (damaged keys file)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 4)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + ": not a keys file (bad header)");
            }
            long sequence = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > bytes.length) {
                throw new IOException(file + ": impossible key count " + count);
            }
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                if (!BatchKeys.isValidKey(key)) {
                    throw new IOException(file + ": invalid key at entry " + i);
                }
                window.remember(key, new BatchKeys.Entry(in.readLong(), in.readInt(), in.readLong()));
            }
            return sequence;
        }
    }
}

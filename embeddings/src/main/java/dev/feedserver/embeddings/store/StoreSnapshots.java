package dev.feedserver.embeddings.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Versioned binary snapshots of a {@link CuckooVectorStore}. Format (little-endian):
 * <pre>
 * 0   8 bytes  magic "FSVSTOR1"
 * 8   int32    format version (2: keys inside entries)
 * 12  int32    dim
 * 16  int32    storage type (StorageType ordinal)
 * 20  int32    slots per bucket (8)
 * 24  int64    buckets
 * 32  int64    entry bytes
 * 40  int64    entries in use
 * 48  int64    written at, epoch milliseconds
 * 56  int32    CRC32C of the two regions, in order
 * 60  int32    CRC32C of bytes 0..59
 * 64  tags and entries regions exactly as in memory (see {@link StoreLayout})
 * </pre>
 * A snapshot of a live store is consistent: all writers are held off while the regions are
 * copied to a temporary buffer (a memory copy, not disk I/O), then the copy is written to a
 * temporary file, fsynced and renamed into place. Loading checks magic, version, header
 * checksum, sizes and region checksum and refuses anything else. Stateless.
 */
public final class StoreSnapshots {
    static final long HEADER_BYTES = 64;
    private static final long MAGIC = 0x31524F5453565346L; // "FSVSTOR1" little-endian
    private static final int VERSION = 2;
    private static final int CHUNK = 1 << 26;

    private StoreSnapshots() {
    }

    /** Writes a consistent snapshot of {@code store} to {@code file} (atomically replaced). */
    public static void write(CuckooVectorStore store, Path file) throws IOException {
        StoreLayout layout = store.layout();
        long total = layout.tagBytes() + layout.entryRegionBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(total, 64);
            long entries;
            store.lockAll();
            try {
                MemorySegment.copy(store.tags, 0, copy, 0, layout.tagBytes());
                MemorySegment.copy(store.entries, 0, copy, layout.tagBytes(), layout.entryRegionBytes());
                entries = store.size();
            } finally {
                store.unlockAll();
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.position(HEADER_BYTES);
                CRC32C crc = new CRC32C();
                for (long at = 0; at < total; at += CHUNK) {
                    ByteBuffer chunk = copy.asSlice(at, Math.min(CHUNK, total - at)).asByteBuffer();
                    crc.update(chunk.duplicate());
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
                ByteBuffer header = header(layout, entries, (int) crc.getValue());
                channel.write(header, 0);
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Loads a snapshot into a new store; throws {@link SnapshotException} for anything invalid. */
    public static CuckooVectorStore load(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate((int) HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.size() < HEADER_BYTES || channel.read(header, 0) != HEADER_BYTES) {
                throw new SnapshotException(file + ": truncated header (" + channel.size() + " bytes)");
            }
            header.flip();
            if (header.getLong(0) != MAGIC) {
                throw new SnapshotException(file + ": not a vector store snapshot (bad magic)");
            }
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(header.duplicate().limit(60));
            if ((int) headerCrc.getValue() != header.getInt(60)) {
                throw new SnapshotException(file + ": header checksum mismatch");
            }
            if (header.getInt(8) != VERSION) {
                throw new SnapshotException(file + ": unsupported snapshot version " + header.getInt(8) + " (expected " + VERSION + ")");
            }
            int typeOrdinal = header.getInt(16);
            if (typeOrdinal < 0 || typeOrdinal >= StorageType.values().length || header.getInt(20) != StoreLayout.SLOTS) {
                throw new SnapshotException(file + ": unknown storage type or bucket shape");
            }
            StoreLayout expected = new StoreLayout(header.getInt(12), StorageType.values()[typeOrdinal], header.getLong(24),
                    header.getLong(32));
            long total = expected.tagBytes() + expected.entryRegionBytes();
            if (channel.size() != HEADER_BYTES + total) {
                throw new SnapshotException(file + ": size " + channel.size() + " does not match its header (" + (HEADER_BYTES + total) + " bytes)");
            }
            CuckooVectorStore store = new CuckooVectorStore(expected);
            try {
                CRC32C crc = new CRC32C();
                long position = HEADER_BYTES;
                for (MemorySegment region : new MemorySegment[] {store.tags, store.entries}) {
                    for (long at = 0; at < region.byteSize(); at += CHUNK) {
                        ByteBuffer chunk = region.asSlice(at, Math.min(CHUNK, region.byteSize() - at)).asByteBuffer();
                        while (chunk.hasRemaining()) {
                            int n = channel.read(chunk, position);
                            if (n < 0) {
                                throw new SnapshotException(file + ": truncated body");
                            }
                            position += n;
                        }
                        crc.update(chunk.flip());
                    }
                }
                if ((int) crc.getValue() != header.getInt(56)) {
                    throw new SnapshotException(file + ": body checksum mismatch (corrupted snapshot)");
                }
                store.restoredSize(header.getLong(40));
                return store;
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
        }
    }

    private static ByteBuffer header(StoreLayout layout, long entries, int bodyCrc) {
        ByteBuffer header = ByteBuffer.allocate((int) HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putInt(VERSION).putInt(layout.dim()).putInt(layout.type().ordinal()).putInt(StoreLayout.SLOTS)
                .putLong(layout.buckets()).putLong(layout.entryBytes()).putLong(entries).putLong(System.currentTimeMillis())
                .putInt(bodyCrc);
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().flip());
        header.putInt((int) crc.getValue());
        return header.flip();
    }
}

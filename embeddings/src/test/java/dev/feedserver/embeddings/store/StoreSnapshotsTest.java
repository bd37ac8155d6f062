package dev.feedserver.embeddings.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSnapshotsTest {

    @Test
    void roundTripKeepsEveryEntryAndItsMetadata(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users.snap");
        try (CuckooVectorStore store = new CuckooVectorStore(16, StorageType.INT8, 2_000)) {
            for (long k = 0; k < 1_500; k++) {
                float[] v = new float[16];
                v[(int) (k % 16)] = k + 1;
                store.put(k * 31, v, 1_700_000_000_000L + k * 1000);
            }
            store.drift(31, new float[16], 0.5f, 1_700_000_500_000L);
            StoreSnapshots.write(store, file);
            try (CuckooVectorStore loaded = StoreSnapshots.load(file)) {
                assertEquals(store.size(), loaded.size());
                float[] a = new float[16];
                float[] b = new float[16];
                for (long k = 0; k < 1_500; k++) {
                    assertTrue(loaded.get(k * 31, b));
                    store.get(k * 31, a);
                    assertArrayEquals(a, b);
                    assertEquals(store.meta(k * 31), loaded.meta(k * 31));
                }
                loaded.put(99_999, new float[16], 1L); // a loaded store is live
                assertEquals(store.size() + 1, loaded.size());
            }
        }
    }

    @Test
    void corruptedTruncatedOrForeignFilesAreRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.snap");
        try (CuckooVectorStore store = new CuckooVectorStore(4, StorageType.F32, 100)) {
            store.put(1, new float[] {1, 2, 3, 4}, 1L);
            StoreSnapshots.write(store, file);
        }
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[flipped.length - 3] ^= 0x40;
        Files.write(file, flipped);
        assertTrue(assertThrows(SnapshotException.class, () -> StoreSnapshots.load(file)).getMessage().contains("checksum"));

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        assertTrue(assertThrows(SnapshotException.class, () -> StoreSnapshots.load(file)).getMessage().contains("size"));

        byte[] header = good.clone();
        header[12] ^= 1; // dim
        Files.write(file, header);
        assertTrue(assertThrows(SnapshotException.class, () -> StoreSnapshots.load(file)).getMessage().contains("header checksum"));

        Files.write(file, "hello".getBytes());
        assertThrows(SnapshotException.class, () -> StoreSnapshots.load(file));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            raf.write(new byte[128]);
        }
        assertTrue(assertThrows(SnapshotException.class, () -> StoreSnapshots.load(file)).getMessage().contains("magic"));
    }
}

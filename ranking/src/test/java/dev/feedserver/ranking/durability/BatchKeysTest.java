package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key window stays within its bounds, forgets the oldest first, and survives its file. */
class BatchKeysTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void theCountBoundEvictsTheOldestKeys() {
        BatchKeys keys = new BatchKeys(3, Duration.ofHours(1), now::get);
        for (int i = 0; i < 10; i++) {
            keys.remember("k" + i, new BatchKeys.Entry(i + 1, 5, now.get()));
            assertTrue(keys.size() <= 3, "never more than the bound");
        }
        assertNull(keys.find("k6"));
        assertEquals(8, keys.find("k7").sequence());
        assertNotNull(keys.find("k9"));
    }

    @Test
    void theAgeBoundForgetsKeysOlderThanTheWindow() {
        BatchKeys keys = new BatchKeys(100, Duration.ofMinutes(10), now::get);
        keys.remember("old", new BatchKeys.Entry(1, 1, now.get()));
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        keys.remember("new", new BatchKeys.Entry(2, 1, now.get()));
        now.addAndGet(Duration.ofMinutes(5).toMillis());
        assertNull(keys.find("old"), "11 minutes old");
        assertNotNull(keys.find("new"), "5 minutes old");
        assertEquals(1, keys.size());
        keys.remember("replayed-stale", new BatchKeys.Entry(3, 1, now.get() - Duration.ofHours(2).toMillis()));
        assertNull(keys.find("replayed-stale"), "a replayed key already past the window is not kept");
    }

    @Test
    void keysAreValidatedByLengthAndCharacters() {
        assertTrue(BatchKeys.isValidKey("a"));
        assertTrue(BatchKeys.isValidKey("client-7:batch_0042.retry"));
        assertTrue(BatchKeys.isValidKey("x".repeat(64)));
        assertFalse(BatchKeys.isValidKey("x".repeat(65)));
        assertFalse(BatchKeys.isValidKey(""));
        assertFalse(BatchKeys.isValidKey(null));
        assertFalse(BatchKeys.isValidKey("has space"));
        assertFalse(BatchKeys.isValidKey("é"));
        assertFalse(BatchKeys.isValidKey("a/b"));
    }

    @Test
    void theFileRebuildsTheSameWindowAndADamagedOneIsRefused() throws IOException {
        BatchKeys keys = new BatchKeys(1000, Duration.ofHours(1), now::get);
        for (int i = 0; i < 50; i++) {
            keys.remember("key-" + i, new BatchKeys.Entry(i + 1, i % 7 + 1, now.get() + i));
        }
        Path file = dir.resolve("checkpoint-00000000000000000050.keys");
        BatchKeysFile.write(keys, 50, file);
        BatchKeys read = new BatchKeys(1000, Duration.ofHours(1), now::get);
        assertEquals(50, BatchKeysFile.read(file, read));
        assertEquals(50, read.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(keys.find("key-" + i), read.find("key-" + i));
        }
        BatchKeys smaller = new BatchKeys(10, Duration.ofHours(1), now::get);
        BatchKeysFile.read(file, smaller);
        assertEquals(10, smaller.size(), "a smaller window keeps the newest");
        assertNotNull(smaller.find("key-49"));

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);
        assertThrows(IOException.class, () -> BatchKeysFile.read(file, new BatchKeys(1000, Duration.ofHours(1), now::get)));
        assertEquals(dir.resolve("checkpoint-00000000000000000050.keys"),
                BatchKeysFile.of(dir.resolve("checkpoint-00000000000000000050.ckp")));
    }
}

package dev.feedserver.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys file round trip, its strictness, and reloading it under a running watcher. */
class KeysFileTest {
    @TempDir
    Path dir;

    private static ApiKey key(KeyFormat.NewKey k, Scope... scopes) {
        return new ApiKey(k.id(), KeyFormat.sha256(k.plaintext()), EnumSet.of(scopes[0], scopes), "k-" + k.id(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void appendReadRemoveAndNoPlaintextAtRest() throws Exception {
        Path file = dir.resolve("keys");
        KeyFormat.NewKey a = KeyFormat.generate();
        KeyFormat.NewKey b = KeyFormat.generate();
        KeysFile.append(file, key(a, Scope.FEED_READ));
        KeysFile.append(file, key(b, Scope.EVENTS_WRITE, Scope.ITEMS_WRITE));
        assertEquals(2, KeysFile.read(file).size());
        assertEquals(EnumSet.of(Scope.EVENTS_WRITE, Scope.ITEMS_WRITE), KeysFile.read(file).get(1).scopes());
        String text = Files.readString(file);
        assertFalse(text.contains(a.plaintext().substring(17)), "the secret is never written");
        assertTrue(KeysFile.remove(file, a.id()));
        assertFalse(KeysFile.remove(file, a.id()));
        assertEquals(1, KeysFile.read(file).size());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aMalformedLineFailsTheWholeFileNamingTheLine() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# comment\n\nabc\tnot-hex\tfeed:read\t2026-01-01T00:00:00Z\tname\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeysFile.read(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(file, "0123456789ab\t" + "00".repeat(32) + "\tfeed:write\t2026-01-01T00:00:00Z\tname\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeysFile.read(file)).getMessage().contains("unknown scope"));
    }

    @Test
    void theWatcherPicksUpNewAndRevokedKeysAndKeepsTheOldSetOnABrokenFile() throws Exception {
        Path file = dir.resolve("keys");
        KeyFormat.NewKey a = KeyFormat.generate();
        KeysFile.append(file, key(a, Scope.FEED_READ));
        try (KeyRingWatcher watcher = new KeyRingWatcher(file, Duration.ofSeconds(1))) {
            assertNotNull(watcher.current().verify(a.plaintext()));
            KeyFormat.NewKey b = KeyFormat.generate();
            KeysFile.append(file, key(b, Scope.ADMIN));
            watcher.poll();
            assertNotNull(watcher.current().verify(b.plaintext()), "a new key works without restart");
            KeysFile.remove(file, a.id());
            watcher.poll();
            assertNull(watcher.current().verify(a.plaintext()), "a revoked key stops working");
            Files.writeString(file, "garbage line\n");
            watcher.poll();
            assertNotNull(watcher.current().verify(b.plaintext()), "a broken file keeps the previous keys");
            assertEquals(1, watcher.failures());
        }
    }

    @Test
    void aMissingKeysFileIsAStartUpError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeyRingWatcher(dir.resolve("none"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("keys create"));
    }
}

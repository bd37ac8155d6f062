package dev.feedserver.server.security;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable snapshot of the valid keys, looked up by the public id inside a presented key,
 * then verified by comparing SHA-256 hashes with {@link MessageDigest#isEqual} (constant time in
 * the hash, so response timing says nothing about how much of a guess was right). Thread-safe.
 */
public final class KeyRing {
    public static final KeyRing EMPTY = new KeyRing(List.of());

    private final Map<String, ApiKey> byId = new HashMap<>();

    public KeyRing(List<ApiKey> keys) {
        for (ApiKey k : keys) {
            byId.put(k.id(), k);
        }
    }

    /** The key {@code presented} proves, or null for anything else (malformed, unknown, revoked, wrong secret). */
    public ApiKey verify(String presented) {
        String id = KeyFormat.idOf(presented);
        ApiKey key = id == null ? null : byId.get(id);
        // Hash even when the id is unknown, so a miss costs the same as a wrong secret.
        byte[] hash = KeyFormat.sha256(presented == null ? "" : presented);
        if (key == null) {
            return null;
        }
        return MessageDigest.isEqual(hash, key.sha256()) ? key : null;
    }

    public int size() {
        return byId.size();
    }
}

package dev.feedserver.server.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One entry of the keys file: the key's public id, the SHA-256 of the whole plaintext key, its
 * scopes, a human name and when it was made. Never holds the plaintext. Immutable.
 *
 * @param id the public part of the key ({@code fsk_<id>_<secret>}), used to find the entry
 * @param sha256 32 bytes: SHA-256 of the UTF-8 plaintext key
 */
public record ApiKey(String id, byte[] sha256, Set<Scope> scopes, String name, Instant createdAt) {
    public ApiKey {
        if (!KeyFormat.isValidId(id)) {
            throw new IllegalArgumentException("key id must be " + KeyFormat.ID_CHARS + " lower-case hex characters, got '" + id + "'");
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("key hash must be 32 bytes, got " + sha256.length);
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        if (!KeyFormat.isValidName(name)) {
            throw new IllegalArgumentException("key name must be 1..64 characters of letters, digits and _-.@, got '" + name + "'");
        }
        sha256 = sha256.clone();
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }
}

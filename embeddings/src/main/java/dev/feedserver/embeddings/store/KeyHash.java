package dev.feedserver.embeddings.store;

import java.nio.charset.StandardCharsets;

/**
 * Hashing of keys: the bit mixer behind bucket choice and tags, and the mapping of external
 * string ids to 64-bit keys. A decimal id that fits a non-negative long is its own key (no
 * collision possible); any other id is a 64-bit FNV-1a hash of its UTF-8 bytes, mixed, with the
 * top bit set so it never equals a numeric key. Two distinct hashed ids collide with
 * probability about n^2 / 2^64 (about 3e-6 for ten million ids); colliding ids would share one
 * entry. Stateless.
 */
public final class KeyHash {
    private KeyHash() {
    }

    /** The 64-bit store key of an external id. */
    public static long keyOf(String id) {
        if (!id.isEmpty() && id.length() <= 18 && (id.length() == 1 || id.charAt(0) != '0')) {
            long value = 0;
            boolean numeric = true;
            for (int i = 0; i < id.length() && numeric; i++) {
                char c = id.charAt(i);
                numeric = c >= '0' && c <= '9';
                value = value * 10 + (c - '0');
            }
            if (numeric) {
                return value;
            }
        }
        long hash = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return mix(hash) | Long.MIN_VALUE;
    }

    /** Murmur3's 64-bit finaliser: every input bit affects every output bit. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}

package dev.feedserver.generation.media;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash of a string that is the same on every JVM and every run (FNV-1a over the UTF-8
 * bytes, then the SplitMix64 finaliser so that nearby strings spread over all bits). Covers and
 * feature vectors derive from it, so the same request always gives the same bytes. Stateless.
 */
final class StableHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {
    }

    static long of(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A value in {@code [0, 1)} from the top 53 bits of {@code h}. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }
}

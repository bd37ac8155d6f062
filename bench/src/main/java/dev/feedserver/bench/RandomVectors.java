package dev.feedserver.bench;

import java.util.SplittableRandom;

/**
 * Cheap reproducible random vectors for the store suite: an xorshift64* stream for bulk fills
 * (uniform elements in [-1, 1), about a nanosecond each) and Gaussian unit vectors where the
 * distribution matters (quality, drift targets). Not thread-safe: one instance per thread.
 */
final class RandomVectors {
    private long state;
    private final SplittableRandom gaussian;

    RandomVectors(long seed) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        this.gaussian = new SplittableRandom(seed);
    }

    long nextLong() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    /** Fills {@code v} with uniform values in [-1, 1), two per 64-bit draw. */
    void uniform(float[] v) {
        int k = 0;
        for (; k + 1 < v.length; k += 2) {
            long r = nextLong();
            v[k] = (int) r * 0x1p-31f;
            v[k + 1] = (int) (r >>> 32) * 0x1p-31f;
        }
        if (k < v.length) {
            v[k] = (int) nextLong() * 0x1p-31f;
        }
    }

    /** Fills {@code v} with a Gaussian vector scaled to unit length (uniform on the sphere). */
    void unitGaussian(float[] v) {
        double norm = 0;
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) gaussian.nextGaussian();
            norm += (double) v[k] * v[k];
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < v.length; k++) {
            v[k] *= inverse;
        }
    }
}

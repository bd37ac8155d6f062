package dev.feedserver.ranking.content;

import java.util.List;
import java.util.Locale;

/**
 * A content encoder without a model: each lower-cased word (and each pair of adjacent words)
 * is hashed to a signed coordinate, and the sum is normalised. Texts sharing words point the
 * same way; synonyms do not. It starts instantly and needs no native library, so it serves
 * tests, quick demos ({@code --content-encoder hashing}) and machines where ONNX Runtime cannot
 * load; the MiniLM encoder is the real one.
 *
 * <p>Threading: stateless and thread-safe. Lifecycle: nothing to free.
 */
public final class HashingTextEncoder implements TextEncoder {
    private final int dimension;

    /** An encoder producing {@code dimension}-wide vectors, {@code dimension >= 8}. */
    public HashingTextEncoder(int dimension) {
        if (dimension < 8) {
            throw new IllegalArgumentException("dimension must be >= 8, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return "hashing-" + dimension;
    }

    @Override
    public float[][] encode(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("text " + i + " is null");
            }
            out[i] = encodeOne(text);
        }
        return out;
    }

    private float[] encodeOne(String text) {
        float[] v = new float[dimension];
        String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        String previous = null;
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            add(v, word.hashCode(), 1f);
            if (previous != null) {
                add(v, (previous + ' ' + word).hashCode(), 0.5f);
            }
            previous = word;
        }
        dev.feedserver.embeddings.Vectors.normalise(v, 0, dimension);
        return v;
    }

    private void add(float[] v, int hash, float weight) {
        int h = mix(hash);
        v[Math.floorMod(h, dimension)] += (h & 0x4000_0000) != 0 ? weight : -weight;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        h *= 0x846ca68b;
        return h ^ (h >>> 16);
    }

    @Override
    public void close() {
    }
}

package dev.feedserver.generation.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The conditioning vector an ONNX image model gets: a hashed bag of words (the "hashing trick")
 * over the lower-cased words of the title, topic and tags. Each word adds +1 or -1 (a second
 * hash bit picks the sign, so collisions cancel on average instead of piling up) at index
 * {@code hash mod width}; the vector is then scaled to unit L2 length. A request with no words
 * at all gives the zero vector. Stateless and thread-safe.
 */
public final class HashedFeatures {

    private HashedFeatures() {
    }

    /**
     * The {@code width}-float vector of {@code request}.
     *
     * @throws IllegalArgumentException if {@code width < 1}
     */
    public static float[] of(CoverRequest request, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("the feature width must be >= 1, got " + width);
        }
        double[] sums = new double[width];
        for (String word : words(request)) {
            long h = StableHash.of(word);
            int index = (int) Long.remainderUnsigned(h, width);
            sums[index] += (h >>> 63) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (double v : sums) {
            norm += v * v;
        }
        float[] features = new float[width];
        if (norm > 0) {
            double scale = 1 / Math.sqrt(norm);
            for (int i = 0; i < width; i++) {
                features[i] = (float) (sums[i] * scale);
            }
        }
        return features;
    }

    /** Runs of letters and digits, lower-cased, from the title, the topic and each tag. */
    static List<String> words(CoverRequest request) {
        List<String> words = new ArrayList<>();
        List<String> fields = new ArrayList<>(request.tags());
        fields.add(0, request.topic());
        fields.add(0, request.title());
        for (String field : fields) {
            for (String word : field.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }
}

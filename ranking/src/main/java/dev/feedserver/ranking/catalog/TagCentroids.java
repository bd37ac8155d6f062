package dev.feedserver.ranking.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Running mean vector of the items carrying each tag. A new item with no interactions starts at
 * the mean of its tags' centroids, so it is retrievable by the users who like those tags before
 * anyone has clicked it.
 *
 * <p>Threading: all methods are synchronised; writes happen only on catalogue updates.
 */
final class TagCentroids {
    private final int dim;
    private final Map<String, double[]> sums = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    TagCentroids(int dim) {
        this.dim = dim;
    }

    synchronized void add(List<String> tags, float[] vector) {
        for (String tag : tags) {
            double[] sum = sums.computeIfAbsent(tag, t -> new double[dim]);
            for (int k = 0; k < dim; k++) {
                sum[k] += vector[k];
            }
            counts.merge(tag, 1, Integer::sum);
        }
    }

    /** Mean of the known tags' centroids, or the zero vector when none is known. */
    synchronized float[] coldStartVector(List<String> tags) {
        float[] out = centroid(tags);
        return out != null ? out : new float[dim];
    }

    /** Mean of the known tags' centroids, or null when none of {@code tags} is known. */
    synchronized float[] centroid(List<String> tags) {
        float[] out = new float[dim];
        int known = 0;
        for (String tag : tags) {
            double[] sum = sums.get(tag);
            if (sum != null) {
                int n = counts.get(tag);
                for (int k = 0; k < dim; k++) {
                    out[k] += (float) (sum[k] / n);
                }
                known++;
            }
        }
        if (known > 1) {
            for (int k = 0; k < dim; k++) {
                out[k] /= known;
            }
        }
        return known == 0 ? null : out;
    }
}

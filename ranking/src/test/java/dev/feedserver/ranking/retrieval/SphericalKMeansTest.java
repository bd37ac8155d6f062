package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.embeddings.Vectors;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SphericalKMeansTest {

    @Test
    void recoversWellSeparatedDirections() {
        int dim = 16;
        int groups = 5;
        int n = 1_000;
        SplittableRandom random = new SplittableRandom(2);
        float[][] centres = new float[groups][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) random.nextGaussian();
            }
            Vectors.normalise(c, 0, dim);
        }
        float[] vectors = new float[n * dim];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % groups;
            for (int d = 0; d < dim; d++) {
                vectors[i * dim + d] = centres[truth[i]][d] + 0.15f * (float) random.nextGaussian();
            }
            Vectors.normalise(vectors, i * dim, dim);
        }
        SphericalKMeans.Clusters clusters = SphericalKMeans.fit(vectors, n, dim, groups, 15, 9);
        assertEquals(groups, clusters.k());
        int pure = 0;
        for (int g = 0; g < groups; g++) {
            Map<Integer, Integer> counts = new HashMap<>();
            for (int i = 0; i < n; i++) {
                if (truth[i] == g) {
                    counts.merge(clusters.assignment()[i], 1, Integer::sum);
                }
            }
            pure += counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }
        assertTrue(pure >= 0.95 * n, "purity " + pure + " / " + n);
        for (int c = 0; c < groups; c++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += clusters.centroids()[c * dim + d] * clusters.centroids()[c * dim + d];
            }
            assertEquals(1.0, norm, 1e-4, "unit centroids");
        }
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.Vectors;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Spherical k-means: clusters unit-length vectors by cosine, with centroids re-normalised after
 * each update. Initial centroids are spread out greedily (farthest point first, over a seeded
 * sample of at most 20,000 items), so results are reproducible and two true groups rarely start
 * in one cluster. Stateless; {@link #fit} runs its assignment steps in parallel on the common pool.
 */
public final class SphericalKMeans {
    private SphericalKMeans() {
    }

    /** Result: unit centroids (k x dim, row-major) and each item's cluster. */
    public record Clusters(int k, int dim, float[] centroids, int[] assignment) {
    }

    /** Clusters {@code n} vectors of {@code vectors} (row-major, already unit length). */
    public static Clusters fit(float[] vectors, int n, int dim, int k, int iterations, long seed) {
        int clusters = Math.max(1, Math.min(k, n));
        SplittableRandom random = new SplittableRandom(seed);
        float[] centroids = farthestFirst(vectors, n, dim, clusters, random);
        int[] assignment = new int[n];
        for (int it = 0; it < iterations; it++) {
            float[] current = centroids;
            IntStream.range(0, n).parallel().forEach(i -> assignment[i] = nearest(vectors, i * dim, current, clusters, dim));
            float[] sums = new float[clusters * dim];
            for (int i = 0; i < n; i++) {
                int c = assignment[i];
                for (int d = 0; d < dim; d++) {
                    sums[c * dim + d] += vectors[i * dim + d];
                }
            }
            for (int c = 0; c < clusters; c++) {
                if (!Vectors.normalise(sums, c * dim, dim)) {
                    System.arraycopy(vectors, random.nextInt(n) * dim, sums, c * dim, dim); // empty cluster: reseed
                }
            }
            centroids = sums;
        }
        float[] last = centroids;
        IntStream.range(0, n).parallel().forEach(i -> assignment[i] = nearest(vectors, i * dim, last, clusters, dim));
        return new Clusters(clusters, dim, centroids, assignment);
    }

    /** Greedy spread-out initial centroids: each next one is the sampled item least similar to those chosen. */
    private static float[] farthestFirst(float[] vectors, int n, int dim, int clusters, SplittableRandom random) {
        int[] sample = random.ints(0, Math.max(1, n)).limit(Math.min(n, 20_000)).toArray();
        float[] centroids = new float[clusters * dim];
        float[] closest = new float[sample.length];
        java.util.Arrays.fill(closest, Float.NEGATIVE_INFINITY);
        int next = sample.length == 0 ? 0 : sample[random.nextInt(sample.length)];
        for (int c = 0; c < clusters; c++) {
            System.arraycopy(vectors, next * dim, centroids, c * dim, dim);
            int farthest = -1;
            for (int s = 0; s < sample.length; s++) {
                float similarity = 0;
                for (int d = 0; d < dim; d++) {
                    similarity += vectors[sample[s] * dim + d] * centroids[c * dim + d];
                }
                closest[s] = Math.max(closest[s], similarity);
                if (farthest < 0 || closest[s] < closest[farthest]) {
                    farthest = s;
                }
            }
            next = farthest < 0 ? next : sample[farthest];
        }
        return centroids;
    }

    /** The centroid with the largest inner product with the vector at {@code offset}. */
    public static int nearest(float[] vectors, int offset, float[] centroids, int k, int dim) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float score = 0;
            for (int d = 0; d < dim; d++) {
                score += vectors[offset + d] * centroids[c * dim + d];
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }
}

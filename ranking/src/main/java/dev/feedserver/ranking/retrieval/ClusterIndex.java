package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.Vectors;
import dev.feedserver.ranking.catalog.ItemCatalog;
import java.util.SplittableRandom;
import org.agrona.collections.IntArrayList;

/**
 * Latent clusters of the catalogue: spherical k-means over the (unit-normalised) item vectors,
 * each item's cluster, and each cluster's members, from which a user's candidates are sampled
 * by cluster affinity. Items added later join their nearest centroid at once; a background
 * rebuild ({@code FeedModel}) refines the centroids from the previous ones as the catalogue grows.
 *
 * <p>Threading: centroids are immutable; membership lists are guarded by their own monitors,
 * so {@link #assign} and {@link #sample} may run concurrently. Lifecycle: heap only.
 */
public final class ClusterIndex {
    private final int k;
    private final int dim;
    private final float[] centroids;
    private final IntArrayList[] members;
    private final IntArrayList clusterOf = new IntArrayList();
    private final ItemCatalog catalog;

    private static final int TRAINING_SAMPLE = 131_072;

    private ClusterIndex(ItemCatalog catalog, int k, int dim, float[] centroids, int[] assignment) {
        this.catalog = catalog;
        this.k = k;
        this.dim = dim;
        this.centroids = centroids;
        this.members = new IntArrayList[k];
        for (int c = 0; c < k; c++) {
            members[c] = new IntArrayList();
        }
        for (int item = 0; item < assignment.length; item++) {
            int c = catalog.isRemoved(item) ? -1 : assignment[item];
            if (c >= 0) {
                members[c].addInt(item);
            }
            clusterOf.addInt(c);
        }
    }

    /** Clusters every item of {@code catalog} into {@code k} clusters. */
    public static ClusterIndex build(ItemCatalog catalog, int k, int iterations, long seed) {
        return build(catalog, catalog.size(), k, iterations, seed, null);
    }

    /**
     * Clusters rows {@code [0, items)} of {@code catalog} (removed ones left out): centroids
     * trained on a seeded sample of at most 131,072 items, starting from {@code previous}'s
     * centroids when given (a background rebuild: cluster numbers keep their meaning) or from
     * farthest-first seeds, then every item assigned in parallel blocks.
     */
    public static ClusterIndex build(ItemCatalog catalog, int items, int k, int iterations, long seed, ClusterIndex previous) {
        int dim = catalog.dim();
        int sampleSize = Math.min(items, TRAINING_SAMPLE);
        SplittableRandom random = new SplittableRandom(seed);
        float[] sample = new float[Math.max(1, sampleSize) * dim];
        float[] row = new float[dim];
        int taken = 0;
        for (int i = 0; i < sampleSize; i++) {
            int item = sampleSize == items ? i : random.nextInt(items);
            if (catalog.isRemoved(item)) {
                continue;
            }
            catalog.vectors().read(item, row);
            Vectors.normalise(row, 0, dim);
            System.arraycopy(row, 0, sample, taken++ * dim, dim);
        }
        SphericalKMeans.Clusters clusters = previous != null && previous.k == k && previous.dim == dim
                ? SphericalKMeans.refine(sample, taken, dim, previous.centroids, k, iterations, seed)
                : SphericalKMeans.fit(sample, taken, dim, k, iterations, seed);
        int[] assignment = new CentroidAssigner(clusters.centroids(), clusters.k(), dim).assignRows(catalog.vectors(), items);
        return new ClusterIndex(catalog, clusters.k(), dim, clusters.centroids(), assignment);
    }

    public int clusters() {
        return k;
    }

    /** A copy of the unit centroids, {@code k x dim} row-major (for checkpoints). */
    public float[] centroids() {
        return centroids.clone();
    }

    /** Assigns rows {@code [0, items)} (removed ones left out) to the given centroids, as they are. */
    public static ClusterIndex withCentroids(ItemCatalog catalog, int items, float[] centroids, int k) {
        int dim = catalog.dim();
        if (centroids.length != k * dim) {
            throw new IllegalArgumentException(centroids.length + " centroid values for " + k + " x " + dim);
        }
        int[] assignment = new CentroidAssigner(centroids, k, dim).assignRows(catalog.vectors(), items);
        return new ClusterIndex(catalog, k, dim, centroids.clone(), assignment);
    }

    /**
     * Puts an item into its nearest cluster and returns that cluster; an item already a member
     * of that cluster (a revived one) is not added twice.
     */
    public synchronized int assign(int item) {
        float[] vector = new float[dim];
        catalog.vectors().read(item, vector);
        Vectors.normalise(vector, 0, dim);
        int c = SphericalKMeans.nearest(vector, 0, centroids, k, dim);
        while (clusterOf.size() <= item) {
            clusterOf.addInt(-1);
        }
        if (clusterOf.getInt(item) == c) {
            return c;
        }
        clusterOf.setInt(item, c);
        synchronized (members[c]) {
            members[c].addInt(item);
        }
        return c;
    }

    /** Cluster of {@code item}, or -1 if it was never clustered. */
    public synchronized int clusterOf(int item) {
        return item < clusterOf.size() ? clusterOf.getInt(item) : -1;
    }

    /** Affinity derived from a user vector: {@code max(0, dot(u, centroid))} per cluster, into {@code out}. */
    public void affinityOf(float[] user, float[] out) {
        for (int c = 0; c < k; c++) {
            float dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += user[d] * centroids[c * dim + d];
            }
            out[c] = Math.max(0f, dot);
        }
    }

    /**
     * Samples up to {@code quota} distinct members: {@code 1 - exploration} of the quota from the
     * user's three highest-affinity clusters (in proportion to affinity), the rest from random
     * clusters, skipping items {@code filter} excludes. Calls {@code sink} once per item.
     */
    public void sample(float[] affinity, int quota, double exploration, ItemFilter filter, SplittableRandom random,
                       java.util.function.IntConsumer sink) {
        int[] top = topClusters(affinity, 3);
        double total = 0;
        for (int c : top) {
            total += affinity[c];
        }
        int exploit = total > 0 ? (int) Math.round(quota * (1 - exploration)) : 0;
        int taken = 0;
        for (int c : top) {
            if (total > 0) {
                taken += draw(c, (int) Math.round(exploit * affinity[c] / total), filter, random, sink);
            }
        }
        for (int attempt = 0; taken < quota && attempt < 4 * k; attempt++) {
            taken += draw(random.nextInt(k), Math.max(1, (quota - taken) / 4), filter, random, sink);
        }
    }

    private int draw(int cluster, int wanted, ItemFilter filter, SplittableRandom random, java.util.function.IntConsumer sink) {
        IntArrayList list = members[cluster];
        int taken = 0;
        synchronized (list) {
            int size = list.size();
            for (int attempt = 0; attempt < 3 * wanted && taken < wanted && size > 0; attempt++) {
                int item = list.getInt(random.nextInt(size));
                if (!filter.excludes(item)) {
                    sink.accept(item);
                    taken++;
                }
            }
        }
        return taken;
    }

    private int[] topClusters(float[] affinity, int n) {
        int count = Math.min(n, k);
        int[] best = new int[count];
        java.util.Arrays.fill(best, -1);
        for (int c = 0; c < k; c++) {
            for (int slot = 0; slot < count; slot++) {
                if (best[slot] < 0 || affinity[c] > affinity[best[slot]]) {
                    System.arraycopy(best, slot, best, slot + 1, count - slot - 1);
                    best[slot] = c;
                    break;
                }
            }
        }
        return best;
    }
}

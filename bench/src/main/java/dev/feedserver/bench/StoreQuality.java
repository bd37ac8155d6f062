package dev.feedserver.bench;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.StorageType;
import dev.feedserver.nativelib.NativeKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * What each storage type does to the vectors: {@code n} random unit vectors (Gaussian, so
 * uniform on the sphere: no cluster structure, the hardest case for ranking) go through a
 * store of that type and back out with {@code get}; reports the mean cosine to the original
 * and the recall@k of an exact dot-product search over the stored vectors against the same
 * search over the originals, for random unit queries (the queries are not quantized).
 * Dot products run in the native SIMD kernel in cache-sized row blocks. Not thread-safe.
 */
final class StoreQuality implements AutoCloseable {
    private static final int BLOCK_ROWS = 512;

    record Figure(StorageType type, double meanCosine, double minCosine, double recall) {
    }

    private final int n;
    private final int dim;
    private final int queries;
    private final int k;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment originals;
    private final MemorySegment stored;
    private final MemorySegment queryMatrix;
    private final MemorySegment scores;
    private final int[][] exactTop;

    StoreQuality(int n, int dim, int queries, int k, long seed) {
        this.n = n;
        this.dim = dim;
        this.queries = queries;
        this.k = k;
        RandomVectors random = new RandomVectors(seed);
        originals = arena.allocate((long) n * dim * Float.BYTES, 64);
        stored = arena.allocate((long) n * dim * Float.BYTES, 64);
        queryMatrix = arena.allocate((long) queries * dim * Float.BYTES, 64);
        scores = arena.allocate((long) queries * n * Float.BYTES, 64);
        float[] v = new float[dim];
        for (int i = 0; i < n; i++) {
            random.unitGaussian(v);
            MemorySegment.copy(v, 0, originals, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
        for (int q = 0; q < queries; q++) {
            random.unitGaussian(v);
            MemorySegment.copy(v, 0, queryMatrix, ValueLayout.JAVA_FLOAT, (long) q * dim * Float.BYTES, dim);
        }
        exactTop = new int[queries][];
        score(originals);
        for (int q = 0; q < queries; q++) {
            exactTop[q] = topK(q);
        }
    }

    /** Round-trips the vectors through a {@code type} store and measures cosine and recall. */
    Figure measure(StorageType type) {
        float[] original = new float[dim];
        float[] back = new float[dim];
        long now = System.currentTimeMillis();
        double cosineSum = 0;
        double cosineMin = 1;
        try (CuckooVectorStore store = new CuckooVectorStore(dim, type, n)) {
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(originals, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, original, 0, dim);
                store.put(i, original, now);
            }
            for (int i = 0; i < n; i++) {
                if (!store.get(i, back)) {
                    throw new IllegalStateException(type + ": key " + i + " missing");
                }
                MemorySegment.copy(originals, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, original, 0, dim);
                MemorySegment.copy(back, 0, stored, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
                double c = cosine(original, back);
                cosineSum += c;
                cosineMin = Math.min(cosineMin, c);
            }
        }
        long hits = 0;
        score(stored);
        for (int q = 0; q < queries; q++) {
            int[] top = topK(q);
            hits += intersection(top, exactTop[q]);
        }
        return new Figure(type, cosineSum / n, cosineMin, hits / ((double) queries * k));
    }

    /** Every query's dot product with every row of {@code matrix}, a block of rows (kept in cache) at a time. */
    private void score(MemorySegment matrix) {
        for (int row = 0; row < n; row += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, n - row);
            MemorySegment block = matrix.asSlice((long) row * dim * Float.BYTES, (long) rows * dim * Float.BYTES);
            for (int q = 0; q < queries; q++) {
                MemorySegment query = queryMatrix.asSlice((long) q * dim * Float.BYTES, (long) dim * Float.BYTES);
                NativeKernels.dotF32Batch(block, rows, dim, query, dim,
                        scores.asSlice(((long) q * n + row) * Float.BYTES, (long) rows * Float.BYTES));
            }
        }
    }

    /** Indices of the k largest scores of query {@code q} (from the last {@link #score}), sorted. */
    private int[] topK(int q) {
        long base = (long) q * n;
        // min-heap of the k best (score, index)
        float[] heapScore = new float[k];
        int[] heapIndex = new int[k];
        int size = 0;
        for (int i = 0; i < n; i++) {
            float s = scores.getAtIndex(ValueLayout.JAVA_FLOAT, base + i);
            if (size < k) {
                int at = size++;
                while (at > 0 && heapScore[(at - 1) / 2] > s) {
                    heapScore[at] = heapScore[(at - 1) / 2];
                    heapIndex[at] = heapIndex[(at - 1) / 2];
                    at = (at - 1) / 2;
                }
                heapScore[at] = s;
                heapIndex[at] = i;
            } else if (s > heapScore[0]) {
                int at = 0;
                while (true) {
                    int child = 2 * at + 1;
                    if (child >= k) {
                        break;
                    }
                    if (child + 1 < k && heapScore[child + 1] < heapScore[child]) {
                        child++;
                    }
                    if (heapScore[child] >= s) {
                        break;
                    }
                    heapScore[at] = heapScore[child];
                    heapIndex[at] = heapIndex[child];
                    at = child;
                }
                heapScore[at] = s;
                heapIndex[at] = i;
            }
        }
        int[] top = Arrays.copyOf(heapIndex, size);
        Arrays.sort(top);
        return top;
    }

    private static int intersection(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return common;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    @Override
    public void close() {
        arena.close();
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.embeddings.Vectors;
import dev.feedserver.nativelib.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Approximate interest retrieval with an inverted-file (IVF) index on the native int8 kernels.
 * Items are partitioned by the direction of their vectors (spherical k-means over a sample, then
 * every item to its nearest centroid); each partition keeps its items' int8 codes contiguous
 * off-heap (per-item symmetric scale), so a query
 * <ol>
 *   <li>scores all centroids (one native float dot-product call) and visits lists best first
 *       (native top-k) until it has scanned {@code scanFactor x k} items,</li>
 *   <li>quantizes itself to int8 and scans each chosen list with one native int8 dot-product call
 *       (exact int32 accumulation), scaling by the item's scale,</li>
 *   <li>optionally keeps a shortlist of {@code shortlistFactor x k} by that approximate score and
 *       re-scores it exactly in float (one gather, one native call), keeping the best {@code k}.
 *       Off by default: the int8 order loses almost no recall, and the gather's random reads
 *       cost more than the whole scan (docs/retrieval.md).</li>
 * </ol>
 * The scan budget is in items, not lists, so recall stays the same as the catalogue (and with
 * it the list size) grows.
 * A new item joins its nearest list at once ({@link #add}); a removed one leaves a hole that the
 * next rebuild compacts. Recall and latency against exact search and JVector: docs/retrieval.md.
 *
 * <p>Threading: searches run lock-free on any number of threads (per-thread scratch); {@link #add}
 * and {@link #remove} are serialised on the index. Lifecycle: reads the vector table it was built
 * on, which must outlive it; its own off-heap memory is freed with it (automatic arenas).
 */
public final class IvfInterestIndex implements InterestIndex {
    /**
     * Build and search parameters.
     *
     * @param lists           partitions; 0 picks {@code round(sqrt(items))} (at least 1, at most 8,192)
     * @param scanFactor      items scanned per query, as a multiple of k (whole lists, best centroid
     *                        first, at least one)
     * @param shortlistFactor int8-scored candidates re-scored in float, as a multiple of k; 0 returns
     *                        the int8 scores (dequantized) without re-scoring
     * @param iterations      k-means iterations on the training sample
     * @param trainingSample  most items the centroids are trained on
     */
    public record Config(int lists, float scanFactor, float shortlistFactor, int iterations, int trainingSample) {
        public Config {
            if (lists < 0 || !(scanFactor > 0) || shortlistFactor < 0 || iterations < 0 || trainingSample < 1) {
                throw new IllegalArgumentException("invalid IVF config " + lists + "/" + scanFactor + "/" + shortlistFactor
                        + "/" + iterations + "/" + trainingSample);
            }
        }

        /** Defaults chosen by the retrieval benchmark (docs/retrieval.md). */
        public static Config defaults() {
            return new Config(0, 16f, 0f, 8, 131_072);
        }

        public Config withScanFactor(float value) {
            return new Config(lists, value, shortlistFactor, iterations, trainingSample);
        }

        public Config withShortlistFactor(float value) {
            return new Config(lists, scanFactor, value, iterations, trainingSample);
        }

        public Config withLists(int value) {
            return new Config(value, scanFactor, shortlistFactor, iterations, trainingSample);
        }

        int listsFor(int items) {
            return lists > 0 ? lists : (int) Math.max(1, Math.min(8_192, Math.round(Math.sqrt(items))));
        }
    }

    private final VectorTable table;
    private final Config config;
    private final int dim;
    private final int lists;
    private final float[] centroids;
    private final MemorySegment centroidSegment;
    private final InvertedList[] partitions;
    private final VectorKernels kernels = VectorKernels.get();
    private final ThreadLocal<Scratch> scratch;
    // Where each item sits (writer only, under the index monitor); -1 when not indexed.
    private int[] listOf = new int[0];
    private int[] slotOf = new int[0];
    // Slots in use (removed ones included until a rebuild), for sizing the probe ranking.
    private volatile int slotsUsed;

    private IvfInterestIndex(VectorTable table, Config config, float[] centroids, int lists, int[] assignment, int items) {
        this.table = table;
        this.config = config;
        this.dim = table.dim();
        this.lists = lists;
        this.centroids = centroids;
        this.centroidSegment = Arena.ofAuto().allocate((long) lists * dim * Float.BYTES, 64);
        MemorySegment.copy(centroids, 0, centroidSegment, ValueLayout.JAVA_FLOAT, 0, lists * dim);
        int[] counts = new int[lists];
        for (int item = 0; item < items; item++) {
            counts[assignment[item]]++;
        }
        this.partitions = new InvertedList[lists];
        for (int c = 0; c < lists; c++) {
            partitions[c] = new InvertedList(counts[c] + counts[c] / 8 + 16, dim);
        }
        this.scratch = ThreadLocal.withInitial(Scratch::new);
        float[] vector = new float[dim];
        byte[] code = new byte[dim];
        for (int item = 0; item < items; item++) {
            table.read(item, vector);
            place(item, assignment[item], vector, code);
        }
    }

    /**
     * Builds the index over rows {@code [0, items)} of {@code table}: trains centroids on a seeded
     * sample, assigns every item in parallel blocks (one float GEMM each), then quantizes them
     * into their lists. Rows added to the table meanwhile are not included; {@link #add} them.
     */
    public static IvfInterestIndex build(VectorTable table, int items, Config config, long seed) {
        int dim = table.dim();
        int lists = Math.min(config.listsFor(items), Math.max(1, items));
        SplittableRandom random = new SplittableRandom(seed);
        int sampleSize = Math.min(items, Math.max(config.trainingSample(), 0));
        float[] sample = new float[Math.max(1, sampleSize) * dim];
        float[] row = new float[dim];
        for (int i = 0; i < sampleSize; i++) {
            int item = sampleSize == items ? i : random.nextInt(items);
            table.read(item, row);
            Vectors.normalise(row, 0, dim);
            System.arraycopy(row, 0, sample, i * dim, dim);
        }
        float[] centroids = SphericalKMeans.fit(sample, sampleSize, dim, lists, config.iterations(), seed,
                SphericalKMeans.Seeding.RANDOM).centroids();
        int[] assignment = new CentroidAssigner(centroids, lists, dim).assignRows(table, items);
        return new IvfInterestIndex(table, config, centroids, lists, assignment, items);
    }

    @Override
    public String name() {
        return "ivf-int8";
    }

    public Config config() {
        return config;
    }

    public int lists() {
        return lists;
    }

    /** Items currently indexed (removed ones excluded). */
    public int size() {
        int live = 0;
        for (InvertedList list : partitions) {
            live += list.live();
        }
        return live;
    }

    /** Off-heap and heap bytes held for the items: codes, scales, rows and centroids. */
    public long bytes() {
        long total = (long) lists * dim * Float.BYTES * 2;
        for (InvertedList list : partitions) {
            InvertedList.Storage s = list.storage();
            total += s.codes().byteSize() + (long) s.capacity() * (Float.BYTES + Integer.BYTES);
        }
        return total;
    }

    @Override
    public void search(float[] query, ItemFilter filter, TopK top) {
        Scratch s = scratch.get();
        float queryScale = quantize(query, 0, s.queryCode);
        if (queryScale == 0f) {
            return; // zero query: every item scores 0, nothing to prefer
        }
        MemorySegment.copy(query, 0, s.query, ValueLayout.JAVA_FLOAT, 0, dim);
        MemorySegment.copy(s.queryCode, 0, s.queryCodeSegment, ValueLayout.JAVA_BYTE, 0, dim);
        long budget = (long) Math.ceil(config.scanFactor() * top.capacity());
        kernels.dotF32Batch(centroidSegment, lists, dim, s.query, dim, s.centroidScores);
        // Lists are visited best first; rank twice the lists the budget needs on average.
        int indexed = Math.max(1, slotsUsed);
        int wanted = (int) Math.min(lists, 2 * (budget * lists / indexed) + 4);
        int ranked = kernels.topKF32(s.centroidScores, lists, wanted, s.probeIds, s.probeScores);
        boolean rescore = config.shortlistFactor() > 0;
        TopK sink = rescore ? s.shortlist(Math.max(top.capacity(), (int) Math.ceil(top.capacity() * config.shortlistFactor()))) : top;
        long scanned = 0;
        for (int p = 0; p < ranked && scanned < budget; p++) {
            InvertedList list = partitions[s.probeIds.getAtIndex(ValueLayout.JAVA_INT, p)];
            int size = list.size();
            InvertedList.Storage storage = list.storage();
            if (size == 0) {
                continue;
            }
            scanned += size;
            MemorySegment dots = s.dots(size);
            kernels.dotS8Batch(storage.codes(), size, dim, s.queryCodeSegment, dim, dots);
            float[] scales = storage.scales();
            for (int slot = 0; slot < size; slot++) {
                float score = dots.getAtIndex(ValueLayout.JAVA_INT, slot) * scales[slot] * queryScale;
                if (sink.wouldAccept(score)) {
                    int item = storage.rowAt(slot);
                    if (item >= 0 && !filter.excludes(item)) {
                        sink.offer(item, score);
                    }
                }
            }
        }
        if (rescore) {
            rescore(s, sink, top);
        }
    }

    /** Re-scores the shortlist with exact float inner products (one gather, one native call) into {@code top}. */
    private void rescore(Scratch s, TopK shortlist, TopK top) {
        int n = shortlist.drainDescending(s.shortIds, s.shortScores);
        MemorySegment batch = s.batch;
        long rowBytes = (long) dim * Float.BYTES;
        for (int i = 0; i < n; i++) {
            table.copyRowTo(s.shortIds[i], batch, i * rowBytes);
        }
        kernels.dotF32Batch(batch, n, dim, s.query, dim, s.exactScores);
        for (int i = 0; i < n; i++) {
            top.offer(s.shortIds[i], s.exactScores.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
    }

    @Override
    public synchronized void add(int item) {
        float[] vector = new float[dim];
        table.read(item, vector);
        float[] direction = vector.clone();
        Vectors.normalise(direction, 0, dim);
        removeLocked(item);
        place(item, SphericalKMeans.nearest(direction, 0, centroids, lists, dim), vector, new byte[dim]);
    }

    @Override
    public synchronized void remove(int item) {
        removeLocked(item);
    }

    private void removeLocked(int item) {
        if (item < listOf.length && listOf[item] >= 0) {
            partitions[listOf[item]].clear(slotOf[item]);
            listOf[item] = -1;
        }
    }

    /** Quantizes {@code vector} into list {@code list} and records where it went. Writer only. */
    private void place(int item, int list, float[] vector, byte[] code) {
        float scale = quantize(vector, 0, code);
        int slot = partitions[list].append(item, code, scale);
        if (item >= listOf.length) {
            int capacity = Math.max(item + 1, listOf.length + (listOf.length >> 1) + 16);
            int old = listOf.length;
            listOf = java.util.Arrays.copyOf(listOf, capacity);
            slotOf = java.util.Arrays.copyOf(slotOf, capacity);
            java.util.Arrays.fill(listOf, old, capacity, -1);
        }
        listOf[item] = list;
        slotOf[item] = slot;
        slotsUsed = slotsUsed + 1; // single writer
    }

    /** Symmetric int8 of {@code dim} values from {@code offset}; returns the scale (0 for a zero vector). */
    private float quantize(float[] values, int offset, byte[] code) {
        float max = 0;
        for (int d = 0; d < dim; d++) {
            max = Math.max(max, Math.abs(values[offset + d]));
        }
        if (max == 0f || !Float.isFinite(max)) {
            java.util.Arrays.fill(code, (byte) 0);
            return 0f;
        }
        float scale = max / 127f;
        float inverse = 1f / scale;
        for (int d = 0; d < dim; d++) {
            code[d] = (byte) Math.max(-127, Math.min(127, Math.round(values[offset + d] * inverse)));
        }
        return scale;
    }

    /** Per-thread search buffers, grown on demand. Not thread-safe. */
    private final class Scratch {
        final MemorySegment query = Arena.ofAuto().allocate((long) dim * Float.BYTES, 64);
        final MemorySegment centroidScores = Arena.ofAuto().allocate((long) lists * Float.BYTES, 64);
        final MemorySegment probeIds = Arena.ofAuto().allocate((long) lists * Integer.BYTES, 64);
        final MemorySegment probeScores = Arena.ofAuto().allocate((long) lists * Float.BYTES, 64);
        final byte[] queryCode = new byte[dim];
        final MemorySegment queryCodeSegment = Arena.ofAuto().allocate(dim, 64);
        MemorySegment dots = Arena.ofAuto().allocate(4096L * Integer.BYTES, 64);
        TopK shortlist = new TopK(1);
        int[] shortIds = new int[1];
        float[] shortScores = new float[1];
        MemorySegment batch = Arena.ofAuto().allocate(Float.BYTES, 64);
        MemorySegment exactScores = Arena.ofAuto().allocate(Float.BYTES, 64);

        MemorySegment dots(int rows) {
            if (dots.byteSize() < (long) rows * Integer.BYTES) {
                dots = Arena.ofAuto().allocate((long) (rows + (rows >> 1)) * Integer.BYTES, 64);
            }
            return dots;
        }

        TopK shortlist(int capacity) {
            if (shortlist.capacity() != capacity) {
                shortlist = new TopK(capacity);
                shortIds = new int[capacity];
                shortScores = new float[capacity];
                batch = Arena.ofAuto().allocate((long) capacity * dim * Float.BYTES, 64);
                exactScores = Arena.ofAuto().allocate((long) capacity * Float.BYTES, 64);
            }
            shortlist.clear();
            return shortlist;
        }
    }
}

package dev.feedserver.ranking.retrieval;

import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.embeddings.Vectors;
import dev.feedserver.nativelib.Quantizer;
import dev.feedserver.nativelib.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Approximate interest retrieval with an inverted-file (IVF) index on the native int8 kernels.
 * Items are partitioned by the direction of their vectors (spherical k-means over a sample, then
 * every item to its nearest centroid) and, within a direction, by norm band (quantiles of the
 * sampled norms). Inner-product search needs the second split: the best items for a query are
 * often long vectors in moderately aligned directions, which a direction-only partition ranks
 * behind short vectors in the best direction (norm-range partitioning). Each partition keeps its
 * items' int8 codes contiguous off-heap (per-item symmetric scale), so a query
 * <ol>
 *   <li>scores all direction centroids (one native float dot-product call), rates each
 *       partition {@code q.c x maxNorm} (or {@code x minNorm} when {@code q.c < 0}), and visits
 *       partitions best first (native top-k) until it has scanned {@code scanFactor x k} items,</li>
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
     * @param directions      direction clusters; 0 picks {@code round(sqrt(items / normBands))} (at least 1, at most 8,192)
     * @param normBands       norm bands per direction (1 = direction only)
     * @param scanFactor      items scanned per query, as a multiple of k (whole lists, best centroid
     *                        first, at least one)
     * @param shortlistFactor int8-scored candidates re-scored in float, as a multiple of k; 0 returns
     *                        the int8 scores (dequantized) without re-scoring
     * @param iterations      k-means iterations on the training sample
     * @param trainingSample  most items the centroids are trained on
     */
    public record Config(int directions, int normBands, float scanFactor, float shortlistFactor, int iterations, int trainingSample) {
        public Config {
            check(directions >= 0 && directions <= 8_192, "directions must be in [0, 8192] (0 = automatic), got " + directions);
            check(normBands >= 1 && normBands <= 16, "normBands must be in [1, 16], got " + normBands);
            check(scanFactor > 0, "scanFactor must be > 0, got " + scanFactor);
            check(shortlistFactor >= 0 && shortlistFactor <= 100, "shortlistFactor must be in [0, 100], got " + shortlistFactor);
            check(iterations >= 0 && iterations <= 1_000, "iterations must be in [0, 1000], got " + iterations);
            check(trainingSample >= 1, "trainingSample must be >= 1, got " + trainingSample);
        }

        /** Defaults chosen by the retrieval benchmark (docs/retrieval.md). */
        public static Config defaults() {
            return new Config(0, 4, 16f, 0f, 8, 131_072);
        }

        public Config withScanFactor(float value) {
            return new Config(directions, normBands, value, shortlistFactor, iterations, trainingSample);
        }

        public Config withShortlistFactor(float value) {
            return new Config(directions, normBands, scanFactor, value, iterations, trainingSample);
        }

        public Config withDirections(int value) {
            return new Config(value, normBands, scanFactor, shortlistFactor, iterations, trainingSample);
        }

        public Config withNormBands(int value) {
            return new Config(directions, value, scanFactor, shortlistFactor, iterations, trainingSample);
        }

        int directionsFor(int items) {
            return directions > 0 ? directions
                    : (int) Math.max(1, Math.min(8_192, Math.round(Math.sqrt(items / (double) normBands))));
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("IVF config: " + message);
            }
        }
    }

    private final VectorTable table;
    private final Config config;
    private final int dim;
    private final int directions;
    private final int bands;
    private final int lists; // directions x bands partitions; partition = direction * bands + band
    private final float[] bandEdges; // bands - 1 ascending norm thresholds
    private final float[] maxNorm; // per partition, writer-maintained (a stale value only reorders probes)
    private final float[] minNorm;
    private final float[] centroids;
    private final MemorySegment centroidSegment;
    private final InvertedList[] partitions;
    private final VectorKernels kernels = VectorKernels.get();
    private final Quantizer quantizer = Quantizer.get();
    // Writer-only scratch (constructor, then under the index monitor): a block of rows, their codes and scales.
    private static final int WRITE_BLOCK = 1_024;
    private final MemorySegment writeRows;
    private final MemorySegment writeScales;
    private final MemorySegment writeCodes;
    private final ThreadLocal<Scratch> scratch;
    // Where each item sits (writer only, under the index monitor); -1 when not indexed.
    private int[] listOf = new int[0];
    private int[] slotOf = new int[0];
    // Slots in use (removed ones included until a rebuild), for sizing the probe ranking.
    private volatile int slotsUsed;

    private IvfInterestIndex(VectorTable table, Config config, float[] centroids, int directions, float[] bandEdges,
                             int[] assignment, int items) {
        this.table = table;
        this.config = config;
        this.dim = table.dim();
        this.directions = directions;
        this.bands = bandEdges.length + 1;
        this.lists = directions * bands;
        this.bandEdges = bandEdges;
        this.maxNorm = new float[lists];
        this.minNorm = new float[lists];
        java.util.Arrays.fill(minNorm, Float.POSITIVE_INFINITY);
        this.centroids = centroids;
        this.centroidSegment = Arena.ofAuto().allocate((long) directions * dim * Float.BYTES, 64);
        MemorySegment.copy(centroids, 0, centroidSegment, ValueLayout.JAVA_FLOAT, 0, directions * dim);
        int[] perDirection = new int[directions];
        for (int item = 0; item < items; item++) {
            perDirection[assignment[item]]++;
        }
        this.partitions = new InvertedList[lists];
        for (int p = 0; p < lists; p++) {
            int expected = perDirection[p / bands] / bands;
            partitions[p] = new InvertedList(expected + expected / 4 + 16, dim);
        }
        this.scratch = ThreadLocal.withInitial(Scratch::new);
        this.writeRows = Arena.ofAuto().allocate((long) WRITE_BLOCK * dim * Float.BYTES, 64);
        this.writeScales = Arena.ofAuto().allocate((long) WRITE_BLOCK * Float.BYTES, 64);
        this.writeCodes = Arena.ofAuto().allocate((long) WRITE_BLOCK * dim, 64);
        for (int start = 0; start < items; start += WRITE_BLOCK) {
            int m = Math.min(WRITE_BLOCK, items - start);
            for (int i = 0; i < m; i++) {
                table.copyRowTo(start + i, writeRows, (long) i * dim * Float.BYTES);
            }
            quantizer.quantizeS8Rows(writeRows, m, dim, dim, writeScales, writeCodes); // one native call per block
            for (int i = 0; i < m; i++) {
                place(start + i, assignment[start + i], i);
            }
        }
    }

    /**
     * Builds the index over rows {@code [0, items)} of {@code table}: trains centroids on a seeded
     * sample, assigns every item in parallel blocks (one float GEMM each), then quantizes them
     * into their lists. Rows added to the table meanwhile are not included; {@link #add} them.
     */
    public static IvfInterestIndex build(VectorTable table, int items, Config config, long seed) {
        int dim = table.dim();
        int directions = Math.min(config.directionsFor(items), Math.max(1, items));
        SplittableRandom random = new SplittableRandom(seed);
        int sampleSize = Math.min(items, Math.max(config.trainingSample(), 0));
        float[] sample = new float[Math.max(1, sampleSize) * dim];
        float[] norms = new float[sampleSize];
        float[] row = new float[dim];
        for (int i = 0; i < sampleSize; i++) {
            int item = sampleSize == items ? i : random.nextInt(items);
            table.read(item, row);
            norms[i] = norm(row, dim);
            Vectors.normalise(row, 0, dim);
            System.arraycopy(row, 0, sample, i * dim, dim);
        }
        float[] centroids = SphericalKMeans.fit(sample, sampleSize, dim, directions, config.iterations(), seed,
                SphericalKMeans.Seeding.RANDOM).centroids();
        int[] assignment = new CentroidAssigner(centroids, directions, dim).assignRows(table, items);
        return new IvfInterestIndex(table, config, centroids, directions, bandEdges(norms, config.normBands()), assignment, items);
    }

    /** Norm thresholds at the 1/bands, 2/bands... quantiles of the sampled norms (fewer when they tie). */
    private static float[] bandEdges(float[] norms, int bands) {
        float[] sorted = norms.clone();
        java.util.Arrays.sort(sorted);
        float[] edges = new float[bands - 1];
        int count = 0;
        for (int b = 1; b < bands && sorted.length > 0; b++) {
            float edge = sorted[(int) ((long) sorted.length * b / bands)];
            if (count == 0 || edge > edges[count - 1]) {
                edges[count++] = edge;
            }
        }
        return java.util.Arrays.copyOf(edges, count);
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    private static float norm(float[] v, int dim) {
        double sum = 0;
        for (int d = 0; d < dim; d++) {
            sum += v[d] * v[d];
        }
        return (float) Math.sqrt(sum);
    }

    @Override
    public String name() {
        return "ivf-int8";
    }

    public Config config() {
        return config;
    }

    /** Partitions: direction clusters x norm bands. */
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
        long total = (long) directions * dim * Float.BYTES * 2 + (long) lists * Float.BYTES * 2;
        for (InvertedList list : partitions) {
            InvertedList.Storage s = list.storage();
            total += s.codes().byteSize() + (long) s.capacity() * (Float.BYTES + Integer.BYTES);
        }
        return total;
    }

    @Override
    public void search(float[] query, ItemFilter filter, TopK top) {
        search(query, filter, top, config.scanFactor(), config.shortlistFactor());
    }

    /**
     * A view of this index that searches with other scan and shortlist factors (same lists, no
     * rebuild): for benchmarks and tuning. Its {@link #add} and {@link #remove} change this index.
     */
    public InterestIndex searchingWith(float scanFactor, float shortlistFactor) {
        new Config(directions, bands, scanFactor, shortlistFactor, 0, 1); // validates
        return view(name(), scanFactor, shortlistFactor);
    }

    /** This index under another {@link #name()} (the single-partition int8 scan, say). */
    public InterestIndex renamed(String name) {
        return view(name, config.scanFactor(), config.shortlistFactor());
    }

    /** Items indexed in {@code index}, when it is an IVF index or a view of one; -1 otherwise. */
    public static int sizeOf(InterestIndex index) {
        return index instanceof IvfInterestIndex ivf ? ivf.size() : index instanceof View view ? view.owner().size() : -1;
    }

    private InterestIndex view(String name, float scanFactor, float shortlistFactor) {
        return new View(this, name, scanFactor, shortlistFactor);
    }

    /** Another name or search setting over the same partitions; writes go to the owner. */
    private record View(IvfInterestIndex owner, String name, float scanFactor, float shortlistFactor) implements InterestIndex {
        @Override
        public void search(float[] query, ItemFilter filter, TopK top) {
            owner.search(query, filter, top, scanFactor, shortlistFactor);
        }

        @Override
        public void add(int item) {
            owner.add(item);
        }

        @Override
        public void remove(int item) {
            owner.remove(item);
        }
    }

    private void search(float[] query, ItemFilter filter, TopK top, float scanFactor, float shortlistFactor) {
        Scratch s = scratch.get();
        if (isZero(query)) {
            return; // every item scores 0: nothing to prefer
        }
        MemorySegment.copy(query, 0, s.query, ValueLayout.JAVA_FLOAT, 0, dim);
        quantizer.quantizeS8Rows(s.query, 1, dim, dim, s.queryScale, s.queryCodeSegment);
        float queryScale = s.queryScale.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
        long budget = (long) Math.ceil(scanFactor * top.capacity());
        kernels.dotF32Batch(centroidSegment, directions, dim, s.query, dim, s.centroidScores);
        for (int d = 0; d < directions; d++) {
            float alignment = s.centroidScores.getAtIndex(ValueLayout.JAVA_FLOAT, d);
            for (int b = 0; b < bands; b++) {
                int p = d * bands + b;
                float rating = partitions[p].size() == 0 ? Float.NEGATIVE_INFINITY
                        : alignment * (alignment >= 0 ? maxNorm[p] : minNorm[p]);
                s.partitionScores.setAtIndex(ValueLayout.JAVA_FLOAT, p, rating);
            }
        }
        // Partitions are visited best first; rank twice the partitions the budget needs on average.
        int indexed = Math.max(1, slotsUsed);
        int wanted = (int) Math.min(lists, 2.0 * budget * lists / indexed + 4);
        int ranked = kernels.topKF32(s.partitionScores, lists, wanted, s.probeIds, s.probeScores);
        boolean rescore = shortlistFactor > 0;
        TopK sink = rescore ? s.shortlist(Math.max(top.capacity(), (int) Math.ceil(top.capacity() * shortlistFactor))) : top;
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
        float[] direction = new float[dim];
        table.read(item, direction);
        Vectors.normalise(direction, 0, dim);
        removeLocked(item);
        table.copyRowTo(item, writeRows, 0);
        quantizer.quantizeS8Rows(writeRows, 1, dim, dim, writeScales, writeCodes);
        place(item, SphericalKMeans.nearest(direction, 0, centroids, directions, dim), 0);
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

    /**
     * Appends row {@code i} of the write block (its float vector in {@code writeRows}, its code and
     * scale from the quantizer) to its norm band of direction {@code direction}, and records where
     * it went. Writer only.
     */
    private void place(int item, int direction, int i) {
        long rowOffset = (long) i * dim;
        double sum = 0;
        for (int d = 0; d < dim; d++) {
            float v = writeRows.getAtIndex(ValueLayout.JAVA_FLOAT, rowOffset + d);
            sum += v * v;
        }
        float length = (float) Math.sqrt(sum);
        int band = 0;
        while (band < bandEdges.length && length >= bandEdges[band]) {
            band++;
        }
        int list = direction * bands + band;
        maxNorm[list] = Math.max(maxNorm[list], length);
        minNorm[list] = Math.min(minNorm[list], length);
        int slot = partitions[list].append(item, writeCodes, rowOffset, writeScales.getAtIndex(ValueLayout.JAVA_FLOAT, i));
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

    /** Per-thread search buffers, grown on demand. Not thread-safe. */
    private final class Scratch {
        final MemorySegment query = Arena.ofAuto().allocate((long) dim * Float.BYTES, 64);
        final MemorySegment centroidScores = Arena.ofAuto().allocate((long) directions * Float.BYTES, 64);
        final MemorySegment partitionScores = Arena.ofAuto().allocate((long) lists * Float.BYTES, 64);
        final MemorySegment probeIds = Arena.ofAuto().allocate((long) lists * Integer.BYTES, 64);
        final MemorySegment probeScores = Arena.ofAuto().allocate((long) lists * Float.BYTES, 64);
        final MemorySegment queryScale = Arena.ofAuto().allocate(Float.BYTES, 64);
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

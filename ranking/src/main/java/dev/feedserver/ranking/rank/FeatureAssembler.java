package dev.feedserver.ranking.rank;

import dev.feedserver.embeddings.Vectors;
import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.catalog.ItemStatistics;
import dev.feedserver.ranking.feed.CandidateSource;
import dev.feedserver.ranking.feed.FeedModel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Assembles the ranker's features from the live model, scope by scope (see
 * {@link FeatureSchema} and docs/features.md):
 * <ul>
 *   <li>{@link #loadRequest}: the request block, once per request (user, session, history,
 *       content profile, cluster affinities, activity, context);</li>
 *   <li>{@link #writeItem}: one item's block (vector, content, tags), for the per-item
 *       first-layer cache and training;</li>
 *   <li>{@link #writeCandidates}: every candidate's block, written straight into the off-heap
 *       batch the native ranker reads. The similarities it needs (item vector against user,
 *       session and history; item content against profile and history) are two float GEMMs over
 *       the gathered candidates, not thousands of Java dot products.</li>
 * </ul>
 * {@link #writeDense} concatenates the three blocks of one candidate: the dense row the float
 * model and ONNX export read.
 *
 * <p>Threading: thread-safe; all per-request state lives in the caller's {@link RequestFeatures}.
 * Lifecycle: holds only references to the model.
 */
public final class FeatureAssembler {
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 24 * HOUR_MILLIS;
    private static final double[] FRESHNESS_MILLIS = {DAY_MILLIS, 7.0 * DAY_MILLIS, 30.0 * DAY_MILLIS};

    private final FeatureSchema schema;
    private final FeedModel model;
    private final Int8Gemm gemm = Int8Gemm.get();
    private final int d;
    private final int c;
    private final int h;
    private final int contentDim;

    /** An assembler over {@code model}; the schema must match its factor, content and cluster widths. */
    public FeatureAssembler(FeatureSchema schema, FeedModel model) {
        if (schema.factorDim() != model.dim()) {
            throw new IllegalArgumentException("feature schema factorDim " + schema.factorDim() + " != model dim " + model.dim());
        }
        if (schema.contentDim() != model.content().dimension()) {
            throw new IllegalArgumentException("feature schema contentDim " + schema.contentDim() + " != the model's content encoder width "
                    + model.content().dimension() + " (" + model.content().encoderName() + ")");
        }
        if (schema.clusters() != model.clusters().clusters()) {
            throw new IllegalArgumentException("feature schema clusters " + schema.clusters() + " != model clusters " + model.clusters().clusters());
        }
        this.schema = schema;
        this.model = model;
        this.d = schema.factorDim();
        this.c = schema.contentWidth();
        this.h = schema.historyLength();
        this.contentDim = schema.contentDim();
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** Per-thread buffers for up to {@code capacity} candidates. */
    public RequestFeatures newRequest(int capacity) {
        return new RequestFeatures(schema, capacity);
    }

    /**
     * Fills the request state and block.
     *
     * @param userId     the user (unknown users are fine: zeros where nothing is known)
     * @param userVector the user's long-term unit vector, or all zeros when unknown
     * @param session    the short-term interest direction, or all zeros
     * @param nowMillis  the request's time
     */
    public void loadRequest(RequestFeatures r, String userId, float[] userVector, float[] session, long nowMillis) {
        r.nowMillis = nowMillis;
        System.arraycopy(userVector, 0, r.user, 0, d);
        System.arraycopy(session, 0, r.session, 0, d);
        float norm = 0f;
        for (int k = 0; k < d; k++) {
            norm += r.user[k] * r.user[k];
        }
        r.known = norm > 0f;
        int row = model.users().rowOf(userId);
        int[] recent = r.recentBuffer;
        r.historyCount = row < 0 ? 0 : Math.min(h, model.users().recent().newestFirst(row, recent));
        Arrays.fill(r.historyVectors, 0f);
        Arrays.fill(r.historyContent, 0f);
        Arrays.fill(r.profile, 0f);
        ItemCatalog catalog = model.catalog();
        ItemContent content = model.content();
        for (int i = 0; i < r.historyCount; i++) {
            catalog.vectors().read(recent[i], r.itemVector);
            System.arraycopy(r.itemVector, 0, r.historyVectors, i * d, d);
            if (contentDim > 0) {
                content.read(recent[i], r.historyContent, i * c);
                for (int k = 0; k < c; k++) {
                    r.profile[k] += r.historyContent[i * c + k];
                }
            }
        }
        Vectors.normalise(r.profile, 0, c);
        if (!model.affinities().read(userId, r.affinity)) {
            if (r.known) {
                model.clusters().affinityOf(r.user, r.affinity);
            } else {
                Arrays.fill(r.affinity, 0f);
            }
        }
        int consumed = row < 0 ? 0 : model.users().consumed().count(row);

        float[] b = r.block;
        int at = 0;
        System.arraycopy(r.user, 0, b, at, d);
        at += d;
        System.arraycopy(r.session, 0, b, at, d);
        at += d;
        System.arraycopy(r.profile, 0, b, at, c);
        at += c;
        System.arraycopy(r.affinity, 0, b, at, schema.clusters());
        at += schema.clusters();
        System.arraycopy(r.historyVectors, 0, b, at, h * d);
        at += h * d;
        System.arraycopy(r.historyContent, 0, b, at, h * c);
        at += h * c;
        b[at++] = r.known ? 1f : 0f;
        b[at++] = (float) (Math.log1p(consumed) / 10.0);
        b[at++] = r.historyCount / (float) h;
        b[at++] = (float) (Math.log1p(Math.max(0, r.historyCount > 0 ? consumed - r.historyCount : 0)) / 10.0);
        ZonedDateTime when = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
        Arrays.fill(b, at, at + 31, 0f);
        b[at + when.getHour()] = 1f;
        at += 24;
        b[at + when.getDayOfWeek().getValue() - 1] = 1f;
        at += 7;
        assert at == b.length : at + " != " + b.length;

        // The similarity queries: rows of the two GEMMs in writeCandidates.
        MemorySegment.copy(r.user, 0, r.vectorQueries, ValueLayout.JAVA_FLOAT, 0, d);
        MemorySegment.copy(r.session, 0, r.vectorQueries, ValueLayout.JAVA_FLOAT, (long) d * Float.BYTES, d);
        MemorySegment.copy(r.historyVectors, 0, r.vectorQueries, ValueLayout.JAVA_FLOAT, 2L * d * Float.BYTES, h * d);
        MemorySegment.copy(r.profile, 0, r.contentQueries, ValueLayout.JAVA_FLOAT, 0, c);
        MemorySegment.copy(r.historyContent, 0, r.contentQueries, ValueLayout.JAVA_FLOAT, (long) c * Float.BYTES, h * c);
    }

    /** Writes item {@code item}'s block (ITEM scope) into {@code out[offset..]}. */
    public void writeItem(int item, float[] out, int offset) {
        model.catalog().vectors().read(item, SCRATCH_VECTOR.get(d));
        System.arraycopy(SCRATCH_VECTOR.get(d), 0, out, offset, d);
        int at = offset + d;
        if (contentDim > 0) {
            model.content().read(item, out, at);
        } else {
            out[at] = 0f;
        }
        at += c;
        int buckets = schema.tagBuckets();
        Arrays.fill(out, at, at + buckets, 0f);
        List<String> tags = model.catalog().item(item).tags();
        for (String tag : tags) {
            out[at + Math.floorMod(mix(tag.hashCode()), buckets)] += 1f;
        }
        Vectors.normalise(out, at, buckets);
    }

    /**
     * Writes the CANDIDATE block of each of {@code items[0..n)} (offered by {@code sources[i]},
     * a {@link CandidateSource} bit set) into row i of {@link RequestFeatures#candidates()}.
     */
    public void writeCandidates(RequestFeatures r, int[] items, byte[] sources, int n) {
        if (n > r.capacity) {
            throw new IllegalArgumentException(n + " candidates exceed the buffers' capacity " + r.capacity);
        }
        if (n == 0) {
            return;
        }
        ItemCatalog catalog = model.catalog();
        long vectorRow = (long) d * Float.BYTES;
        long contentRow = (long) c * Float.BYTES;
        for (int i = 0; i < n; i++) {
            catalog.vectors().copyRowTo(items[i], r.itemVectors, i * vectorRow);
            if (contentDim > 0) {
                model.content().read(items[i], r.itemContentRow, 0);
                MemorySegment.copy(r.itemContentRow, 0, r.itemContent, ValueLayout.JAVA_FLOAT, i * contentRow, c);
            }
        }
        int vq = 2 + h;
        int cq = 1 + h;
        gemm.gemmF32(r.itemVectors, n, d, d, r.vectorQueries, vq, d, null, Int8Gemm.Activation.NONE, r.vectorSims, vq);
        if (contentDim > 0) {
            gemm.gemmF32(r.itemContent, n, c, c, r.contentQueries, cq, c, null, Int8Gemm.Activation.NONE, r.contentSims, cq);
        }
        float[] row = r.row;
        float[] item = r.itemVector;
        ItemStatistics statistics = model.statistics();
        long rowBytes = (long) row.length * Float.BYTES;
        for (int i = 0; i < n; i++) {
            int id = items[i];
            MemorySegment.copy(r.itemVectors, ValueLayout.JAVA_FLOAT, i * vectorRow, item, 0, d);
            int at = 0;
            for (int k = 0; k < d; k++) {
                row[at++] = r.user[k] * item[k];
            }
            // similarities
            long vs = (long) i * vq * Float.BYTES;
            long cs = (long) i * cq * Float.BYTES;
            row[at++] = r.vectorSims.get(ValueLayout.JAVA_FLOAT, vs);
            row[at++] = r.vectorSims.get(ValueLayout.JAVA_FLOAT, vs + 4);
            float maxContent = 0f;
            float sumContent = 0f;
            float maxVector = 0f;
            if (contentDim > 0) {
                row[at++] = r.contentSims.get(ValueLayout.JAVA_FLOAT, cs);
                for (int j = 0; j < r.historyCount; j++) {
                    float sim = r.contentSims.get(ValueLayout.JAVA_FLOAT, cs + 4L * (1 + j));
                    maxContent = j == 0 ? sim : Math.max(maxContent, sim);
                    sumContent += sim;
                }
            } else {
                row[at++] = 0f;
            }
            for (int j = 0; j < r.historyCount; j++) {
                float sim = r.vectorSims.get(ValueLayout.JAVA_FLOAT, vs + 4L * (2 + j));
                maxVector = j == 0 ? sim : Math.max(maxVector, sim);
            }
            row[at++] = maxContent;
            row[at++] = r.historyCount == 0 ? 0f : sumContent / r.historyCount;
            row[at++] = maxVector;
            int cluster = model.clusters().clusterOf(id);
            row[at++] = cluster >= 0 && cluster < r.affinity.length ? r.affinity[cluster] : 0f;
            float norm = 0f;
            for (int k = 0; k < d; k++) {
                norm += item[k] * item[k];
            }
            row[at++] = (float) Math.sqrt(norm);
            // history_similarity
            for (int j = 0; j < h; j++) {
                row[at++] = j < r.historyCount ? r.vectorSims.get(ValueLayout.JAVA_FLOAT, vs + 4L * (2 + j)) : 0f;
            }
            // item_statistics
            at = writeStatistics(statistics, id, r.nowMillis, row, at);
            // retrieval_source
            byte s = sources[i];
            for (byte bit : CandidateSource.ALL) {
                row[at++] = (s & bit) != 0 ? 1f : 0f;
            }
            row[at++] = Integer.bitCount(s & 0xff) / (float) CandidateSource.ALL.length;
            assert at == row.length : at + " != " + row.length;
            MemorySegment.copy(row, 0, r.candidates, ValueLayout.JAVA_FLOAT, i * rowBytes, row.length);
        }
    }

    private int writeStatistics(ItemStatistics statistics, int item, long now, float[] row, int at) {
        int counters = ItemStatistics.COUNTERS;
        statistics.read(item, now, row, at);
        int windows = counters / 3;
        for (int w = 0; w < windows; w++) {
            float positive = row[at + w];
            float negative = row[at + windows + w];
            float views = row[at + 2 * windows + w];
            row[at + counters + w] = positive / (positive + negative + views + 1f);
        }
        for (int i = 0; i < counters; i++) {
            row[at + i] = (float) Math.log1p(row[at + i]);
        }
        at += counters + windows;
        row[at++] = model.popularity().prior(item);
        row[at++] = (float) (Math.log1p(model.catalog().popularity(item)) / 10.0);
        long age = Math.max(0L, now - model.catalog().item(item).createdAtMillis());
        for (double tau : FRESHNESS_MILLIS) {
            row[at++] = (float) Math.exp(-age / tau);
        }
        row[at++] = (float) (Math.log1p(age / (double) DAY_MILLIS) / 10.0);
        return at;
    }

    /**
     * Writes candidate {@code i}'s dense row (request block, item block, candidate block; the
     * schema's full width) into {@code out[offset..]}; call after {@link #writeCandidates}.
     */
    public void writeDense(RequestFeatures r, int item, int i, float[] out, int offset) {
        int request = schema.width(FeatureScope.REQUEST);
        int itemWidth = schema.width(FeatureScope.ITEM);
        System.arraycopy(r.block, 0, out, offset, request);
        writeItem(item, out, offset + request);
        MemorySegment.copy(r.candidates, ValueLayout.JAVA_FLOAT, (long) i * r.row.length * Float.BYTES, out,
                offset + request + itemWidth, r.row.length);
    }

    /** Reads candidate {@code i}'s CANDIDATE block into {@code out[offset..]}. */
    public static void readCandidate(RequestFeatures r, int i, float[] out, int offset) {
        MemorySegment.copy(r.candidates, ValueLayout.JAVA_FLOAT, (long) i * r.row.length * Float.BYTES, out, offset, r.row.length);
    }

    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** A per-thread float[] of a given width. */
    private static final class ScratchVector extends ThreadLocal<float[]> {
        float[] get(int width) {
            float[] v = get();
            if (v == null || v.length != width) {
                v = new float[width];
                set(v);
            }
            return v;
        }
    }

    private static final ScratchVector SCRATCH_VECTOR = new ScratchVector();
}

package dev.feedserver.ranking.rank;

import dev.feedserver.embeddings.Vectors;
import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.Quantizer;
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
 *       batch the native ranker reads. The similarities it needs are two GEMMs over the gathered
 *       candidates, not thousands of Java dot products: item vectors against user, session and
 *       history in float; item content against profile and history in int8 (per-row codes kept
 *       by {@link ItemContent}: a quarter of the bytes to gather, within about 1% of float).</li>
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
    /** Freshness time constants 1, 4 and 16 days: one exp and squarings per candidate. */
    private static final double FRESHNESS_LONGEST_MILLIS = 16.0 * DAY_MILLIS;

    private final FeatureSchema schema;
    private final FeedModel model;
    private final Int8Gemm gemm = Int8Gemm.get();
    private final Quantizer quantizer = Quantizer.get();
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
        if (contentDim > 0) {
            // The content similarities run as an int8 GEMM: quantize and pack the queries once.
            quantizer.quantizeS8Rows(r.contentQueries, 1 + h, c, c, r.queryScales, r.queryCodes);
            gemm.pack(r.queryCodes, 1 + h, c, c, r.packedQueries);
        }
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
        catalog.vectors().gatherRows(items, n, r.itemVectors, 0);
        for (int i = 0; i < n; i++) {
            if (contentDim > 0) {
                r.contentScales.setAtIndex(ValueLayout.JAVA_FLOAT, i, model.content().copyCodesTo(items[i], r.contentCodes, (long) i * c));
            }
        }
        int vq = 2 + h;
        int cq = 1 + h;
        gemm.gemmF32(r.itemVectors, n, d, d, r.vectorQueries, vq, d, null, Int8Gemm.Activation.NONE, r.vectorSims, vq);
        if (contentDim > 0) {
            // Per-row int8 codes on both sides: sim = acc * itemScale * queryScale, within about
            // 1% of the float dot product (content embeddings are unit vectors).
            gemm.gemmS8S8(r.contentCodes, n, c, c, r.packedQueries, cq,
                    Int8Gemm.Epilogue.f32(r.contentScales, r.queryScales, null, Int8Gemm.Activation.NONE), r.contentSims, cq);
        }
        // Segment element reads cost checks each; the loop below reads plain arrays.
        float[] simsV = r.vectorSimsArray;
        float[] simsC = r.contentSimsArray;
        MemorySegment.copy(r.vectorSims, ValueLayout.JAVA_FLOAT, 0, simsV, 0, n * vq);
        if (contentDim > 0) {
            MemorySegment.copy(r.contentSims, ValueLayout.JAVA_FLOAT, 0, simsC, 0, n * cq);
        }
        float[] row = r.row;
        float[] item = r.itemVector;
        ItemStatistics statistics = model.statistics();
        double logMax = model.popularity().logMax();
        long rowBytes = (long) row.length * Float.BYTES;
        for (int i = 0; i < n; i++) {
            int id = items[i];
            MemorySegment.copy(r.itemVectors, ValueLayout.JAVA_FLOAT, i * vectorRow, item, 0, d);
            int at = 0;
            for (int k = 0; k < d; k++) {
                row[at++] = r.user[k] * item[k];
            }
            // similarities
            int vs = i * vq;
            int cs = i * cq;
            row[at++] = simsV[vs];
            row[at++] = simsV[vs + 1];
            float maxContent = 0f;
            float sumContent = 0f;
            float maxVector = 0f;
            if (contentDim > 0) {
                row[at++] = simsC[cs];
                for (int j = 0; j < r.historyCount; j++) {
                    float sim = simsC[cs + 1 + j];
                    maxContent = j == 0 ? sim : Math.max(maxContent, sim);
                    sumContent += sim;
                }
            } else {
                row[at++] = 0f;
            }
            for (int j = 0; j < r.historyCount; j++) {
                float sim = simsV[vs + 2 + j];
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
                row[at++] = j < r.historyCount ? simsV[vs + 2 + j] : 0f;
            }
            // item_statistics
            at = writeStatistics(statistics, id, r.nowMillis, logMax, row, at);
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

    private int writeStatistics(ItemStatistics statistics, int item, long now, double logMax, float[] row, int at) {
        int counters = ItemStatistics.COUNTERS;
        long positives = statistics.read(item, now, row, at);
        int windows = counters / 3;
        for (int w = 0; w < windows; w++) {
            float positive = row[at + w];
            float negative = row[at + windows + w];
            float views = row[at + 2 * windows + w];
            row[at + counters + w] = positive / (positive + negative + views + 1f);
        }
        for (int i = 0; i < counters; i++) {
            float v = row[at + i];
            row[at + i] = v == 0f ? 0f : (float) ln1p(v);
        }
        at += counters + windows;
        // The counters' own total, not the catalogue's off-heap counter: a per-candidate read of
        // a shared-arena segment costs more than all the arithmetic here.
        double logCount = ln1p(positives);
        row[at++] = logMax <= 0 ? 0f : (float) (logCount / logMax);
        row[at++] = (float) (logCount / 10.0);
        long age = Math.max(0L, now - model.catalog().item(item).createdAtMillis());
        double f16 = Math.exp(-age / FRESHNESS_LONGEST_MILLIS);
        double f4 = (f16 * f16) * (f16 * f16);
        row[at++] = (float) ((f4 * f4) * (f4 * f4));
        row[at++] = (float) f4;
        row[at++] = (float) f16;
        row[at++] = (float) (ln1p(age / (double) DAY_MILLIS) / 10.0);
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

    private static final double LN2 = Math.log(2.0);

    /**
     * {@code ln(1 + x)} for x >= 0, within 2e-6 absolute: the exponent of {@code 1 + x} times ln 2
     * plus the mantissa's log by the atanh series ({@code 2(t + t^3/3 + ... + t^9/9)},
     * {@code t = (m - 1)/(m + 1) < 1/3}). {@link Math#log1p} is a slow pure-Java routine and the
     * statistics features call this a dozen times per candidate.
     */
    static double ln1p(double x) {
        double y = 1.0 + x;
        long bits = Double.doubleToRawLongBits(y);
        int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000f_ffff_ffff_ffffL) | 0x3ff0_0000_0000_0000L);
        double t = (m - 1.0) / (m + 1.0);
        double t2 = t * t;
        double series = t * (1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9)))));
        return exponent * LN2 + 2.0 * series;
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

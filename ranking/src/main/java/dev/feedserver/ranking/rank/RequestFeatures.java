package dev.feedserver.ranking.rank;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One request's feature state and buffers: the request block, what the candidate features are
 * computed from (user, session, history, content profile, affinities), and the off-heap batch
 * the native ranker reads ({@link #candidates()}: one row of {@link FeatureSchema#width(FeatureScope)
 * CANDIDATE} floats per candidate). Filled by {@link FeatureAssembler}.
 *
 * <p>Threading: not thread-safe; each worker thread owns one and reuses it for every request
 * (sized for the most candidates a request can have), so the steady state allocates nothing.
 * Lifecycle: its off-heap buffers belong to an automatic arena, freed when it is unreachable.
 */
public final class RequestFeatures {
    final FeatureSchema schema;
    final int capacity;
    final int d;
    final int c;
    final int h;
    /** The request block (REQUEST scope), in layout order. */
    final float[] block;
    final float[] user;
    final float[] session;
    final float[] profile;
    final float[] affinity;
    final float[] historyVectors;
    final float[] historyContent;
    final int[] recentBuffer = new int[dev.feedserver.ranking.users.UserProfiles.RECENT_ITEMS];
    int historyCount;
    boolean known;
    long nowMillis;

    // Off-heap batch buffers.
    final MemorySegment itemVectors;     // capacity x d
    final MemorySegment contentCodes;    // capacity x c int8 codes of the candidates' content
    final MemorySegment contentScales;   // capacity floats
    final MemorySegment queryCodes;      // (1 + h) x c int8 codes of profile and history content
    final MemorySegment queryScales;     // (1 + h) floats
    final MemorySegment packedQueries;   // queryCodes packed for the int8 GEMM
    final MemorySegment vectorQueries;   // (2 + h) x d: user, session, history vectors
    final MemorySegment contentQueries;  // (1 + h) x c: profile, history content
    final MemorySegment vectorSims;      // capacity x (2 + h)
    final MemorySegment contentSims;     // capacity x (1 + h)
    final MemorySegment candidates;      // capacity x candidateWidth
    final float[] row;
    final float[] itemVector;
    final float[] vectorSimsArray;
    final float[] contentSimsArray;

    /** Buffers for up to {@code capacity} candidates under {@code schema}. */
    public RequestFeatures(FeatureSchema schema, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.schema = schema;
        this.capacity = capacity;
        this.d = schema.factorDim();
        this.c = schema.contentWidth();
        this.h = schema.historyLength();
        block = new float[schema.width(FeatureScope.REQUEST)];
        user = new float[d];
        session = new float[d];
        profile = new float[c];
        affinity = new float[schema.clusters()];
        historyVectors = new float[h * d];
        historyContent = new float[h * c];
        Arena arena = Arena.ofAuto();
        itemVectors = arena.allocate((long) capacity * d * Float.BYTES, 64);
        contentCodes = arena.allocate((long) capacity * c, 64);
        contentScales = arena.allocate((long) capacity * Float.BYTES, 64);
        queryCodes = arena.allocate((long) (1 + h) * c, 64);
        queryScales = arena.allocate((long) (1 + h) * Float.BYTES, 64);
        packedQueries = arena.allocate(dev.feedserver.nativelib.Int8Gemm.get().packedSize(1 + h, c), 64);
        vectorQueries = arena.allocate((long) (2 + h) * d * Float.BYTES, 64);
        contentQueries = arena.allocate((long) (1 + h) * c * Float.BYTES, 64);
        vectorSims = arena.allocate((long) capacity * (2 + h) * Float.BYTES, 64);
        contentSims = arena.allocate((long) capacity * (1 + h) * Float.BYTES, 64);
        candidates = arena.allocate((long) capacity * schema.width(FeatureScope.CANDIDATE) * Float.BYTES, 64);
        row = new float[schema.width(FeatureScope.CANDIDATE)];
        itemVector = new float[d];
        vectorSimsArray = new float[capacity * (2 + h)];
        contentSimsArray = new float[capacity * (1 + h)];
    }

    /** The most candidates these buffers hold. */
    public int capacity() {
        return capacity;
    }

    /** The request block (REQUEST scope floats in layout order); valid after {@link FeatureAssembler#loadRequest}. */
    public float[] requestBlock() {
        return block;
    }

    /** The candidate batch: row i holds candidate i's CANDIDATE block. */
    public MemorySegment candidates() {
        return candidates;
    }

    /** Floats per candidate row. */
    public int candidateWidth() {
        return row.length;
    }

}

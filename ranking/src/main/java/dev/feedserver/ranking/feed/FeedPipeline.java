package dev.feedserver.ranking.feed;

import dev.feedserver.nativelib.VectorKernels;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.rank.FeatureAssembler;
import dev.feedserver.ranking.rank.HeadCalibration;
import dev.feedserver.ranking.rank.Ranker;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerRegistry;
import dev.feedserver.ranking.rank.RequestFeatures;
import dev.feedserver.ranking.retrieval.ClusterIndex;
import dev.feedserver.ranking.retrieval.ItemFilter;
import dev.feedserver.ranking.retrieval.TopK;
import dev.feedserver.ranking.users.UserVectorSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.collections.Int2IntHashMap;

/**
 * One feed request, end to end, without HTTP: read the user vector, retrieve candidates from
 * each source with its quota (interest, latent clusters, popular, trending, fresh; consumed
 * and removed items excluded), merge and de-duplicate them (each keeps every source that
 * offered it), assemble their features and rank them with the serving {@link Ranker} (normally the {@code Int8Ranker}) (one
 * native call for the batch), and keep the best {@code limit}. Without a ranker (none loaded)
 * the ranker's head logits go through the {@link RankerRegistry#calibrator() online calibration}
 * before they are combined and reported, and the page's raw logits are recorded as impressions
 * for it to learn from. Without a ranker (none loaded)
 * the candidates are scored by the built-in formula {@code dot(user, item) + popularityWeight *
 * popularity(item) + freshnessWeight * freshness(item)}, also one native call. An unknown user,
 * or one with a zero vector, gets the popular, trending and fresh items.
 *
 * <p>Threading: thread-safe; each thread reuses its own scratch buffers (sized at the first
 * request), so the steady state allocates only the result arrays.
 */
public final class FeedPipeline {
    /** Weight ratio between consecutive recent items in the short-term interest (newest weighs 1). */
    private static final float SESSION_DECAY = 0.8f;
    /** Recent positive items that form the short-term interest (the ranker's history features see more). */
    static final int SESSION_ITEMS = 5;

    /** Ranker version reported when the built-in formula ranked the feed. */
    public static final String LINEAR = "linear";

    private final FeedModel model;
    private final FeedConfig config;
    private final RankerRegistry rankers;
    private final ObjectiveWeights defaultWeights;
    private final VectorKernels kernels = VectorKernels.get();
    private final ThreadLocal<Scratch> scratch;
    private final Reranker reranker;
    private final UserVectorSource userVectors;

    /** A pipeline ranking with the built-in formula only. */
    public FeedPipeline(FeedModel model, FeedConfig config) {
        this(model, config, null, null);
    }

    /**
     * A pipeline ranking with whatever model {@code rankers} serves (the built-in formula while
     * it serves none), combining heads with {@code defaultWeights} unless a request overrides
     * them (null: each model's own saved weights).
     */
    public FeedPipeline(FeedModel model, FeedConfig config, RankerRegistry rankers, ObjectiveWeights defaultWeights) {
        this(model, config, rankers, defaultWeights, null);
    }

    /**
     * As above, with cluster sampling drawn from {@code samplingSeed} on every thread instead of a
     * time-seeded source: the same requests in the same order then get the same feeds, which is
     * what evaluation and training-data logging need to be reproducible (null: time-seeded, as
     * serving wants).
     */
    public FeedPipeline(FeedModel model, FeedConfig config, RankerRegistry rankers, ObjectiveWeights defaultWeights,
                        Long samplingSeed) {
        this(model, config, rankers, defaultWeights, samplingSeed, model.users()::read);
    }

    /**
     * As above, reading each request's user vector from {@code userVectors} instead of the
     * model's own store (the side-by-side baseline reads it from Redis); everything else about
     * the user still comes from the model.
     */
    public FeedPipeline(FeedModel model, FeedConfig config, RankerRegistry rankers, ObjectiveWeights defaultWeights,
                        Long samplingSeed, UserVectorSource userVectors) {
        this.model = model;
        this.userVectors = java.util.Objects.requireNonNull(userVectors, "userVectors");
        this.config = config;
        this.rankers = rankers;
        this.defaultWeights = defaultWeights;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(model.dim(), model.clusters().clusters(), config,
                samplingSeed == null ? System.nanoTime() : samplingSeed));
        this.reranker = new Reranker(model, config.rerank());
    }

    /** Candidates the re-ranker may draw from for a page of {@code limit}: room for duplicates and capped clusters. */
    static int rerankWindow(int limit) {
        return 4 * limit + 32;
    }

    /** The registry of serving rankers, or null when this pipeline only uses the formula. */
    public RankerRegistry rankers() {
        return rankers;
    }

    /** The objective weights requests get unless they override them (null: the model's own). */
    public ObjectiveWeights defaultWeights() {
        return defaultWeights;
    }

    public FeedConfig config() {
        return config;
    }

    /** Builds the feed now with the default objective weights; {@code limit} must be in {@code [1, maxLimit]}. */
    public FeedResult feed(String userId, int limit) {
        return feed(userId, limit, null, System.currentTimeMillis());
    }

    /**
     * Builds the feed as of {@code nowMillis} (features such as freshness and time of day use it),
     * combining the ranker's heads with {@code weights} (null: the pipeline's default).
     */
    public FeedResult feed(String userId, int limit, ObjectiveWeights weights, long nowMillis) {
        if (limit < 1 || limit > config.maxLimit()) {
            throw new IllegalArgumentException("limit must be in [1, " + config.maxLimit() + "], got " + limit);
        }
        Scratch s = scratch.get();
        long[] stages = new long[Stage.values().length];
        retrieve(s, userId, stages);
        long t5 = System.nanoTime();
        s.sortByItem();

        RankerRegistry.Lease lease = rankers == null ? null : rankers.acquire();
        String version = LINEAR;
        long t6;
        float[] heads = null;
        HeadCalibration calibration = HeadCalibration.IDENTITY;
        if (lease == null) {
            t6 = t5;
            score(s);
        } else {
            try {
                Ranker ranker = lease.ranker();
                version = ranker.version();
                RequestFeatures features = s.features(ranker.assembler());
                ranker.assembler().loadRequest(features, userId, s.longTerm, s.session, nowMillis);
                ranker.assembler().writeCandidates(features, s.items, s.sources, s.count);
                t6 = System.nanoTime();
                ObjectiveWeights w = weights != null ? weights : defaultWeights != null ? defaultWeights : ranker.model().defaultWeights();
                calibration = rankers.calibrator().calibration(version);
                ranker.score(features, s.items, s.count, w, calibration, s.scores, s.logits);
                heads = s.logits;
            } finally {
                lease.release();
            }
        }
        long t7 = System.nanoTime();


        // The best few times `limit` by score, then the re-ranker builds the page from them.
        TopK best = s.best;
        best.clear();
        for (int i = 0; i < s.count; i++) {
            best.offer(i, s.scores[i]);
        }
        int window = Math.min(best.size(), rerankWindow(limit));
        int drained = best.drainDescending(s.order, s.orderScores);
        int n = reranker.select(s.order, Math.min(window, drained), s.items, limit, s.page);
        int[] items = new int[n];
        float[] scores = new float[n];
        byte[] sources = new byte[n];
        float[] itemHeads = heads == null ? null : new float[n * Objective.COUNT];
        for (int i = 0; i < n; i++) {
            int slot = s.page[i];
            items[i] = s.items[slot];
            scores[i] = s.scores[slot];
            sources[i] = s.sources[slot];
            if (heads != null) {
                for (int h = 0; h < Objective.COUNT; h++) {
                    float logit = heads[slot * Objective.COUNT + h];
                    s.pageLogits[i * Objective.COUNT + h] = logit;
                    itemHeads[i * Objective.COUNT + h] = calibration.probability(h, logit);
                }
            }
        }
        if (heads != null) {
            rankers.calibrator().recordImpressions(version, userId, items, s.pageLogits, n);
        }
        long t8 = System.nanoTime();
        stages[Stage.FEATURES.ordinal()] = t6 - t5;
        stages[Stage.RANK.ordinal()] = t7 - t6;
        stages[Stage.SELECT.ordinal()] = t8 - t7;
        return new FeedResult(userId, s.known, items, scores, sources, s.count, stages, itemHeads, version);
    }

    /**
     * Runs the retrieval stages for {@code userId} on this thread's buffers and returns them: the
     * merged candidates (valid until this thread's next call) and the user state they came from.
     * The ranker's training-data collector uses it to log what a request would have ranked.
     */
    public Retrieved retrieve(String userId) {
        Scratch s = scratch.get();
        retrieve(s, userId, null);
        return s;
    }

    /** Retrieval stages into {@code s}; their nanoseconds go into {@code stages} (USER..RETRIEVE_FRESH) when it is not null. */
    private void retrieve(Scratch s, String userId, long[] stages) {
        s.reset();
        long t0 = System.nanoTime();
        boolean known = userVectors.read(userId, s.user);
        float norm = 0;
        if (known) {
            for (int k = 0; k < model.dim(); k++) {
                norm += s.user[k] * s.user[k];
            }
        } else {
            java.util.Arrays.fill(s.user, 0f);
        }
        s.known = known;
        System.arraycopy(s.user, 0, s.longTerm, 0, s.user.length);
        java.util.Arrays.fill(s.session, 0f);
        int row = model.users().rowOf(userId);
        if (known && norm > 0 && config.sessionWeight() > 0) {
            blendSessionInterest(row, s);
        }
        long t1 = System.nanoTime();

        // One locked copy of the user's consumed items per request; every source then filters
        // thousands of candidates against it without locking.
        model.users().consumed().copyTo(row, s.consumed);
        ItemCatalog catalog = model.catalog();
        org.agrona.collections.IntHashSet consumed = s.consumed;
        ItemFilter seen = item -> consumed.contains(item) || catalog.isRemoved(item);
        if (norm > 0) {
            s.top.clear();
            model.interest().search(s.user, seen, s.top);
            int n = s.top.drainDescending(s.heapIds, s.heapScores);
            for (int i = 0; i < n; i++) {
                s.add(s.heapIds[i], CandidateSource.INTEREST);
            }
        }
        long t2 = System.nanoTime();

        if (config.clusterCandidates() > 0) {
            ClusterIndex clusters = model.clusters();
            if (!model.affinities().read(userId, s.affinity)) {
                clusters.affinityOf(s.user, s.affinity);
            }
            clusters.sample(s.affinity, config.clusterCandidates(), config.clusterExploration(), seen, s.random,
                    item -> s.add(item, CandidateSource.CLUSTER));
        }
        long tCluster = System.nanoTime();

        int[] popular = model.popularity().top();
        int taken = 0;
        for (int i = 0; i < popular.length && taken < config.popularCandidates(); i++) {
            if (!seen.excludes(popular[i])) {
                s.add(popular[i], CandidateSource.POPULAR);
                taken++;
            }
        }
        long t3 = System.nanoTime();

        int[] trending = model.trending().top(config.trendingCandidates());
        for (int item : trending) {
            if (!seen.excludes(item)) {
                s.add(item, CandidateSource.TRENDING);
            }
        }
        long t4 = System.nanoTime();

        if (config.freshCandidates() > 0) {
            for (int item : model.fresh().newest(config.freshCandidates(), seen)) {
                s.add(item, CandidateSource.FRESH);
            }
        }
        long t5 = System.nanoTime();

        if (stages != null) {
            stages[Stage.USER.ordinal()] = t1 - t0;
            stages[Stage.RETRIEVE_INTEREST.ordinal()] = t2 - t1;
            stages[Stage.RETRIEVE_CLUSTER.ordinal()] = tCluster - t2;
            stages[Stage.RETRIEVE_POPULAR.ordinal()] = t3 - tCluster;
            stages[Stage.RETRIEVE_TRENDING.ordinal()] = t4 - t3;
            stages[Stage.RETRIEVE_FRESH.ordinal()] = t5 - t4;
        }
    }

    /**
     * Turns {@code s.user} into the request's query: the long-term unit vector plus
     * {@code sessionWeight} x the short-term interest, the decayed (0.8 per step back) sum of the
     * directions of the user's last positive items, normalised. {@code s.user} is a unit vector
     * before and after (unless the two cancel exactly; a zero sum of recent items leaves it as it was).
     */
    private void blendSessionInterest(int row, Scratch s) {
        int n = Math.min(SESSION_ITEMS, model.users().recent().newestFirst(row, s.recent));
        if (n == 0) {
            return;
        }
        int dim = model.dim();
        java.util.Arrays.fill(s.session, 0f);
        float weight = 1f;
        for (int i = 0; i < n; i++) {
            model.catalog().vectors().read(s.recent[i], s.itemVector);
            if (dev.feedserver.embeddings.Vectors.normalise(s.itemVector, 0, dim)) {
                for (int k = 0; k < dim; k++) {
                    s.session[k] += weight * s.itemVector[k];
                }
            }
            weight *= SESSION_DECAY;
        }
        if (!dev.feedserver.embeddings.Vectors.normalise(s.session, 0, dim)) {
            return;
        }
        float sessionWeight = config.sessionWeight();
        for (int k = 0; k < dim; k++) {
            s.user[k] += sessionWeight * s.session[k];
        }
        dev.feedserver.embeddings.Vectors.normalise(s.user, 0, dim);
    }

    /** Gathers candidate vectors into one batch and scores them in a single native call. */
    private void score(Scratch s) {
        ItemCatalog catalog = model.catalog();
        int dim = model.dim();
        long rowBytes = (long) dim * Float.BYTES;
        for (int i = 0; i < s.count; i++) {
            catalog.vectors().copyRowTo(s.items[i], s.batch, i * rowBytes);
        }
        MemorySegment.copy(s.user, 0, s.query, ValueLayout.JAVA_FLOAT, 0, dim);
        if (s.count > 0) {
            kernels.dotF32Batch(s.batch, s.count, dim, s.query, dim, s.batchScores);
        }
        float popularityWeight = config.popularityWeight();
        float freshnessWeight = config.freshnessWeight();
        long now = System.currentTimeMillis();
        for (int i = 0; i < s.count; i++) {
            int item = s.items[i];
            float fresh = freshnessWeight == 0f ? 0f
                    : freshnessWeight * model.fresh().prior(catalog.item(item).createdAtMillis(), now);
            s.scores[i] = s.batchScores.getAtIndex(ValueLayout.JAVA_FLOAT, i) + popularityWeight * model.popularity().prior(item) + fresh;
        }
    }

    /**
     * The merged candidates of one retrieval and the user state they came from; a view of the
     * calling thread's buffers, valid until that thread's next request.
     */
    public interface Retrieved {
        /** Candidates retrieved. */
        int count();

        /** Candidate item rows, {@code [0, count())} valid. */
        int[] items();

        /** Each candidate's {@link CandidateSource} bits. */
        byte[] sources();

        /** The user's long-term unit vector (zeros when unknown). */
        float[] longTermVector();

        /** The short-term interest direction (zeros when none). */
        float[] sessionVector();

        /** Whether the user had a profile. */
        boolean known();
    }

    /** Per-thread request buffers. Not thread-safe. */
    private static final class Scratch implements Retrieved {
        final float[] user;
        final float[] longTerm;
        boolean known;
        final float[] logits;
        /** The returned page's raw head logits, for the impression store. */
        final float[] pageLogits;
        RequestFeatures features;
        FeatureAssembler featuresFor;
        final float[] affinity;
        final int[] recent = new int[dev.feedserver.ranking.users.UserProfiles.RECENT_ITEMS];
        final float[] session;
        final float[] itemVector;
        final java.util.SplittableRandom random;
        final TopK top;
        final TopK best;
        final int[] order;
        final float[] orderScores;
        final int[] page;
        final int[] heapIds;
        final float[] heapScores;
        final int[] items;
        /** Scratch for {@link #sortByItem}. */
        final long[] sortKeys;
        final byte[] sources;
        final float[] scores;
        /** Orders the merged candidates by item row ({@link CandidateOrder}). */
        void sortByItem() {
            CandidateOrder.sortByItem(items, sources, count, sortKeys);
        }

        final Int2IntHashMap slotOf = new Int2IntHashMap(-1);
        final org.agrona.collections.IntHashSet consumed = new org.agrona.collections.IntHashSet();
        final MemorySegment batch;
        final MemorySegment query;
        final MemorySegment batchScores;
        int count;

        Scratch(int dim, int clusters, FeedConfig config, long seed) {
            random = new java.util.SplittableRandom(seed);
            affinity = new float[clusters];
            int capacity = config.interestCandidates() + config.clusterCandidates() + config.popularCandidates()
                    + config.trendingCandidates() + config.freshCandidates();
            user = new float[dim];
            longTerm = new float[dim];
            session = new float[dim];
            logits = new float[capacity * Objective.COUNT];
            itemVector = new float[dim];
            top = new TopK(config.interestCandidates());
            best = new TopK(rerankWindow(config.maxLimit()));
            order = new int[rerankWindow(config.maxLimit())];
            orderScores = new float[rerankWindow(config.maxLimit())];
            page = new int[config.maxLimit()];
            pageLogits = new float[config.maxLimit() * Objective.COUNT];
            heapIds = new int[config.interestCandidates()];
            heapScores = new float[config.interestCandidates()];
            items = new int[capacity];
            sortKeys = new long[capacity];
            sources = new byte[capacity];
            scores = new float[capacity];
            Arena arena = Arena.ofAuto();
            batch = arena.allocate((long) capacity * dim * Float.BYTES, 64);
            query = arena.allocate((long) dim * Float.BYTES, 64);
            batchScores = arena.allocate((long) capacity * Float.BYTES, 64);
        }

        void reset() {
            count = 0;
            slotOf.clear();
        }

        /** This thread's feature buffers for {@code assembler}'s schema (re-made when the model's schema changes). */
        RequestFeatures features(FeatureAssembler assembler) {
            if (features == null || featuresFor == null || !featuresFor.schema().equals(assembler.schema())) {
                features = assembler.newRequest(items.length);
            }
            featuresFor = assembler;
            return features;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public int[] items() {
            return items;
        }

        @Override
        public byte[] sources() {
            return sources;
        }

        @Override
        public float[] longTermVector() {
            return longTerm;
        }

        @Override
        public float[] sessionVector() {
            return session;
        }

        @Override
        public boolean known() {
            return known;
        }

        void add(int item, byte source) {
            int slot = slotOf.get(item);
            if (slot >= 0) {
                sources[slot] |= source;
                return;
            }
            slotOf.put(item, count);
            items[count] = item;
            sources[count] = source;
            count++;
        }
    }
}

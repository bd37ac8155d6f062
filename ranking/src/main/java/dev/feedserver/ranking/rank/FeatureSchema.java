package dev.feedserver.ranking.rank;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker's declared input: an ordered list of {@link FeatureFamily feature families}, laid
 * out scope by scope (all {@link FeatureScope#REQUEST} families, then {@link FeatureScope#ITEM},
 * then {@link FeatureScope#CANDIDATE}), so the dense input row is the concatenation of the three
 * scope blocks and the first layer's weight columns split the same way.
 *
 * <p>The standard schema is sized by the model it serves: the latent factor width {@code d},
 * the content embedding width {@code c}, the number of latent clusters {@code k}, the history
 * length {@code h} and the tag hash buckets {@code t}; with the defaults (d=32, c=384, k=32,
 * h=10, t=64) it is 5,229 floats wide. docs/features.md lists every family.
 *
 * <p>Immutable and thread-safe.
 *
 * @param factorDim      latent factor width (user and item vectors)
 * @param contentDim     content embedding width (0 when the model has no content encoder: the
 *                       content families then have width 1 and read zero)
 * @param clusters       latent clusters (user affinity width)
 * @param historyLength  recent items the history families describe
 * @param tagBuckets     hash buckets of the item tag family
 */
public record FeatureSchema(int factorDim, int contentDim, int clusters, int historyLength, int tagBuckets) {
    /** Default history length: the user's last 10 positive items. */
    public static final int DEFAULT_HISTORY = 10;
    /** Default tag hash buckets. */
    public static final int DEFAULT_TAG_BUCKETS = 64;
    /** Scalar similarities in the {@code similarities} family. */
    public static final int SIMILARITIES = 8;
    /** Floats in the {@code item_statistics} family. */
    public static final int ITEM_STATISTICS = 18;
    /** Floats in the {@code user_activity} family. */
    public static final int USER_ACTIVITY = 4;
    /** Floats in the {@code retrieval_source} family (5 sources + how many offered it). */
    public static final int SOURCES = 6;

    public FeatureSchema {
        require(factorDim >= 1, "factorDim must be >= 1, got " + factorDim);
        require(contentDim >= 0, "contentDim must be >= 0, got " + contentDim);
        require(clusters >= 1, "clusters must be >= 1, got " + clusters);
        require(historyLength >= 1 && historyLength <= 64, "historyLength must be in [1, 64], got " + historyLength);
        require(tagBuckets >= 1, "tagBuckets must be >= 1, got " + tagBuckets);
    }

    /** The standard schema with the default history length and tag buckets. */
    public static FeatureSchema standard(int factorDim, int contentDim, int clusters) {
        return new FeatureSchema(factorDim, contentDim, clusters, DEFAULT_HISTORY, DEFAULT_TAG_BUCKETS);
    }

    /** Content width as laid out (at least 1, so a schema without content keeps its shape). */
    public int contentWidth() {
        return Math.max(1, contentDim);
    }

    /** Every family in layout order. */
    public List<FeatureFamily> families() {
        int d = factorDim;
        int c = contentWidth();
        int h = historyLength;
        List<FeatureFamily> f = new ArrayList<>();
        f.add(new FeatureFamily("user_vector", FeatureScope.REQUEST, d, "the user's long-term unit vector from the parameter store"));
        f.add(new FeatureFamily("session_vector", FeatureScope.REQUEST, d, "short-term interest: decayed sum of the directions of the last positive items, normalised"));
        f.add(new FeatureFamily("user_content_profile", FeatureScope.REQUEST, c, "mean content embedding of the user's recent positive items, normalised"));
        f.add(new FeatureFamily("user_cluster_affinity", FeatureScope.REQUEST, clusters, "the user's affinity to each latent cluster"));
        f.add(new FeatureFamily("history_item_vectors", FeatureScope.REQUEST, h * d, "latent vectors of the last " + h + " positive items, newest first, zero-padded"));
        f.add(new FeatureFamily("history_item_content", FeatureScope.REQUEST, h * c, "content embeddings of the last " + h + " positive items, newest first, zero-padded"));
        f.add(new FeatureFamily("user_activity", FeatureScope.REQUEST, USER_ACTIVITY, "known user, log consumed items, history fill, log consumed items older than the history"));
        f.add(new FeatureFamily("context_hour", FeatureScope.REQUEST, 24, "hour of day of the request (UTC), one-hot"));
        f.add(new FeatureFamily("context_weekday", FeatureScope.REQUEST, 7, "day of week of the request (UTC), one-hot"));
        f.add(new FeatureFamily("item_vector", FeatureScope.ITEM, d, "the item's latent vector"));
        f.add(new FeatureFamily("item_content", FeatureScope.ITEM, c, "the item's content embedding (title, tags, text)"));
        f.add(new FeatureFamily("item_tags", FeatureScope.ITEM, tagBuckets, "the item's tags, hashed multi-hot, normalised"));
        f.add(new FeatureFamily("user_item_product", FeatureScope.CANDIDATE, d, "element-wise product of the user and item vectors"));
        f.add(new FeatureFamily("similarities", FeatureScope.CANDIDATE, SIMILARITIES, "user.item, session.item, content profile.item content, max/mean history content and vector similarity, affinity to the item's cluster, item norm"));
        f.add(new FeatureFamily("history_similarity", FeatureScope.CANDIDATE, h, "item vector . each history item vector, newest first"));
        f.add(new FeatureFamily("item_statistics", FeatureScope.CANDIDATE, ITEM_STATISTICS, "decayed positive/negative/view counts over 1h, 8h, 64h (log), positive share per window, popularity, log interactions, freshness over 1d/4d/16d, log age"));
        f.add(new FeatureFamily("retrieval_source", FeatureScope.CANDIDATE, SOURCES, "which sources offered the candidate (interest, cluster, popular, trending, fresh), and how many"));
        return f;
    }

    /** Scope widths per schema, computed once: the ranker asks on every request. */
    private static final java.util.concurrent.ConcurrentHashMap<FeatureSchema, int[]> SCOPE_WIDTHS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Floats in one scope's block. */
    public int width(FeatureScope scope) {
        return SCOPE_WIDTHS.computeIfAbsent(this, FeatureSchema::scopeWidths)[scope.ordinal()];
    }

    private static int[] scopeWidths(FeatureSchema schema) {
        int[] widths = new int[FeatureScope.values().length];
        for (FeatureFamily family : schema.families()) {
            widths[family.scope().ordinal()] += family.width();
        }
        return widths;
    }

    /** Floats in the dense input row (all scopes). */
    public int width() {
        return width(FeatureScope.REQUEST) + width(FeatureScope.ITEM) + width(FeatureScope.CANDIDATE);
    }

    /** Offset of a scope's block in the dense row. */
    public int offset(FeatureScope scope) {
        return switch (scope) {
            case REQUEST -> 0;
            case ITEM -> width(FeatureScope.REQUEST);
            case CANDIDATE -> width(FeatureScope.REQUEST) + width(FeatureScope.ITEM);
        };
    }

    /** Offset of a family inside its scope's block. */
    public int offsetInScope(String family) {
        int[] at = new int[FeatureScope.values().length];
        for (FeatureFamily f : families()) {
            if (f.name().equals(family)) {
                return at[f.scope().ordinal()];
            }
            at[f.scope().ordinal()] += f.width();
        }
        throw new IllegalArgumentException("no feature family " + family);
    }

    /** Name and width of every family, in order (for model files and reports). */
    public Map<String, Integer> describe() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (FeatureFamily f : families()) {
            out.put(f.name(), f.width());
        }
        return out;
    }

    /** A short id naming the layout, stored in model files so a model meets only the schema it was trained on. */
    public String id() {
        return "v1/d" + factorDim + "/c" + contentDim + "/k" + clusters + "/h" + historyLength + "/t" + tagBuckets;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.catalog.ItemContent;
import java.util.Arrays;
import java.util.Locale;
import org.agrona.collections.Int2IntHashMap;

/**
 * The last step of a feed: from the candidates in score order, builds the page of at most
 * {@code limit} items.
 * <ol>
 *   <li><b>De-duplication</b>: an item whose normalised title equals, or whose content embedding
 *       is within {@link RerankConfig#duplicateCosine} of, an item already on the page is
 *       dropped (re-uploads and near-copies do not fill a feed). Content is compared against the
 *       last {@value #DUPLICATE_WINDOW} items placed, which bounds the cost on long pages.</li>
 *   <li><b>Diversity</b>: one latent cluster fills at most {@link RerankConfig#maxClusterShare}
 *       of the page; items over the cap wait, and fill the page only if nothing else can.</li>
 *   <li><b>Spreading</b>: with {@link RerankConfig#spreadClusters}, the page is reordered so two
 *       neighbours share a cluster only when no other item is left: at each position, the best
 *       remaining item of another cluster than the previous one.</li>
 * </ol>
 *
 * <p>Threading: stateless apart from per-thread scratch; thread-safe.
 */
public final class Reranker {
    static final int DUPLICATE_WINDOW = 64;

    private final FeedModel model;
    private final RerankConfig config;
    private final ThreadLocal<Scratch> scratch;

    public Reranker(FeedModel model, RerankConfig config) {
        this.model = model;
        this.config = config;
        this.scratch = ThreadLocal.withInitial(Scratch::new);
    }

    public RerankConfig config() {
        return config;
    }

    /**
     * Picks the page: {@code ranked[0..n)} are candidate slots in descending score order,
     * {@code items[slot]} their item rows. Writes the chosen slots, in page order, to
     * {@code out} and returns how many (at most {@code limit}).
     */
    public int select(int[] ranked, int n, int[] items, int limit, int[] out) {
        Scratch s = scratch.get();
        s.reset(limit, model.content().dimension());
        s.deferredFor(n);
        int cap = config.clusterCap(limit);
        int placed = 0;
        int deferred = 0;
        for (int r = 0; r < n && placed < limit; r++) {
            int slot = ranked[r];
            int item = items[slot];
            if (isDuplicate(s, item, placed)) {
                continue;
            }
            int cluster = model.clusters().clusterOf(item);
            if (cap < limit && s.perCluster.get(cluster) >= cap) {
                s.deferred[deferred++] = slot;
                continue;
            }
            s.perCluster.put(cluster, s.perCluster.get(cluster) + 1);
            place(s, slot, item, cluster, placed++);
        }
        // Caps are a preference: a page filled from over-represented clusters beats a short one.
        for (int d = 0; d < deferred && placed < limit; d++) {
            int slot = s.deferred[d];
            int item = items[slot];
            if (!isDuplicate(s, item, placed)) {
                place(s, slot, item, model.clusters().clusterOf(item), placed++);
            }
        }
        if (config.spreadClusters()) {
            spread(s, placed, out);
        } else {
            System.arraycopy(s.page, 0, out, 0, placed);
        }
        return placed;
    }

    private void place(Scratch s, int slot, int item, int cluster, int at) {
        s.page[at] = slot;
        s.pageCluster[at] = cluster;
        s.pageItem[at] = item;
        s.titles.add(normalisedTitle(item));
        int dim = s.dim;
        if (dim > 0) {
            model.content().read(item, s.content, (at % DUPLICATE_WINDOW) * dim);
        }
    }

    private boolean isDuplicate(Scratch s, int item, int placed) {
        if (s.titles.contains(normalisedTitle(item))) {
            return true;
        }
        int dim = s.dim;
        if (dim == 0 || config.duplicateCosine() >= 1f || placed == 0) {
            return false;
        }
        ItemContent content = model.content();
        content.read(item, s.candidate, 0);
        int window = Math.min(placed, DUPLICATE_WINDOW);
        for (int w = 0; w < window; w++) {
            int base = w * dim;
            float dot = 0f;
            for (int k = 0; k < dim; k++) {
                dot += s.candidate[k] * s.content[base + k];
            }
            if (dot >= config.duplicateCosine()) {
                return true;
            }
        }
        return false;
    }

    private String normalisedTitle(int item) {
        return model.catalog().item(item).title().strip().toLowerCase(Locale.ROOT);
    }

    /** Greedy reorder: each position takes the best remaining item from another cluster than the last. */
    private static void spread(Scratch s, int placed, int[] out) {
        boolean[] used = s.used;
        Arrays.fill(used, 0, placed, false);
        int previous = Integer.MIN_VALUE;
        for (int position = 0; position < placed; position++) {
            int pick = -1;
            for (int i = 0; i < placed; i++) {
                if (!used[i] && s.pageCluster[i] != previous) {
                    pick = i;
                    break;
                }
            }
            if (pick < 0) {
                for (int i = 0; i < placed; i++) {
                    if (!used[i]) {
                        pick = i;
                        break;
                    }
                }
            }
            used[pick] = true;
            out[position] = s.page[pick];
            previous = s.pageCluster[pick];
        }
    }

    /** Per-thread buffers, grown to the largest page seen. */
    private static final class Scratch {
        int[] page = new int[0];
        int[] pageCluster = new int[0];
        int[] pageItem = new int[0];
        int[] deferred = new int[0];
        boolean[] used = new boolean[0];
        float[] content = new float[0];
        float[] candidate = new float[0];
        int dim;
        final Int2IntHashMap perCluster = new Int2IntHashMap(0);
        final java.util.HashSet<String> titles = new java.util.HashSet<>();

        void reset(int limit, int contentDim) {
            if (page.length < limit) {
                page = new int[limit];
                pageCluster = new int[limit];
                pageItem = new int[limit];
                used = new boolean[limit];
            }
            dim = contentDim;
            if (candidate.length != contentDim) {
                candidate = new float[contentDim];
                content = new float[DUPLICATE_WINDOW * contentDim];
            }
            perCluster.clear();
            titles.clear();
        }

        int[] deferredFor(int n) {
            if (deferred.length < n) {
                deferred = new int[n];
            }
            return deferred;
        }
    }
}

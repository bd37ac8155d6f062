package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Interactions;
import java.util.stream.IntStream;

/**
 * The popularity baseline: items by training interaction count, best first, skipping the user's
 * own training items. Immutable after construction.
 */
public final class PopularityRecommender implements Recommender {
    private final int[] byPopularity;
    private final java.util.BitSet[] trainItems;

    public PopularityRecommender(Interactions train, int users, int items) {
        long[] counts = new long[items];
        trainItems = new java.util.BitSet[users];
        for (int u = 0; u < users; u++) {
            trainItems[u] = new java.util.BitSet(items);
        }
        for (int i = 0; i < train.size(); i++) {
            counts[train.item(i)]++;
            trainItems[train.user(i)].set(train.item(i));
        }
        byPopularity = IntStream.range(0, items).filter(i -> counts[i] > 0).boxed()
                .sorted((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int[] recommend(int user, int k) {
        int[] out = new int[k];
        int n = 0;
        for (int i = 0; i < byPopularity.length && n < k; i++) {
            if (!trainItems[user].get(byPopularity[i])) {
                out[n++] = byPopularity[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}

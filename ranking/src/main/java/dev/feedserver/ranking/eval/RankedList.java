package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.retrieval.TopK;
import java.util.Arrays;

/**
 * The last step of the baselines' {@code recommend}: the scored candidates, best first, then
 * (when fewer than {@code k} were scored) the remaining items in a fallback order, so that every
 * baseline ranks the whole training catalogue as the protocol asks. Stateless.
 */
final class RankedList {
    private RankedList() {
    }

    /**
     * Drains {@code top} (best first, ties by lower item number), then appends items of
     * {@code fallbackOrder} that are neither excluded nor already listed, up to {@code k}.
     *
     * @param excluded by item number: true for items that must not appear (the user's training
     *                 items); items listed here are marked too, so the array is the caller's scratch
     */
    static int[] topThenFill(TopK top, int k, boolean[] excluded, int[] fallbackOrder) {
        int[] ids = new int[top.capacity()];
        float[] scores = new float[top.capacity()];
        int n = Math.min(k, top.drainDescending(ids, scores));
        int[] out = Arrays.copyOf(ids, k);
        for (int r = 0; r < n; r++) {
            excluded[out[r]] = true;
        }
        for (int f = 0; f < fallbackOrder.length && n < k; f++) {
            int item = fallbackOrder[f];
            if (!excluded[item]) {
                excluded[item] = true;
                out[n++] = item;
            }
        }
        return n == k ? out : Arrays.copyOf(out, n);
    }
}

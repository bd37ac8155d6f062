package dev.feedserver.ranking.feed;

import java.util.Arrays;

/**
 * Orders a request's merged candidates by item row, keeping each item's source bits with it.
 * Feature assembly then reads every per-item table (statistics, content codes, vectors, the
 * ranker's item partials) walking memory forward instead of at random, which the hardware
 * prefetchers turn into far fewer cache misses; score ties then break toward the lower item row.
 * Stateless; the caller supplies the scratch, so the hot path allocates nothing.
 */
public final class CandidateOrder {
    private CandidateOrder() {
    }

    /**
     * Sorts {@code items[0..n)} ascending and permutes {@code sources[0..n)} alongside.
     *
     * @param scratch at least {@code n} longs, overwritten
     */
    public static void sortByItem(int[] items, byte[] sources, int n, long[] scratch) {
        for (int i = 0; i < n; i++) {
            scratch[i] = ((long) items[i] << 8) | (sources[i] & 0xffL);
        }
        Arrays.sort(scratch, 0, n);
        for (int i = 0; i < n; i++) {
            items[i] = (int) (scratch[i] >>> 8);
            sources[i] = (byte) scratch[i];
        }
    }
}

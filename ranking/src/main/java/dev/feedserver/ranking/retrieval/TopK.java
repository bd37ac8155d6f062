package dev.feedserver.ranking.retrieval;

import java.util.Arrays;

/**
 * Keeps the {@code capacity} highest-scoring ids seen. Scans offer tens of thousands of items
 * per request, thousands of which beat the running threshold early on; a binary heap pays a
 * full sift-down with unpredictable branches for each of them. This keeps an unordered buffer
 * of twice the capacity instead: an offer below the threshold costs one comparison, one above
 * it an append, and a full buffer is cut back to the best {@code capacity} with a quickselect
 * (linear), which also raises the threshold. Entries are packed into one {@code long} each (an
 * order-preserving encoding of the score, then the id), so selection and the final sort move
 * single primitives. Ties keep the lower id; NaN scores are never kept.
 *
 * <p>Not thread-safe: one instance per thread, reused across requests via {@link #clear()};
 * no allocation per offer.
 */
public final class TopK {
    private final int capacity;
    private final long[] keys;
    private int size;
    // Keys at or below thresholdKey (scores at or above thresholdScore) may still be kept.
    private long thresholdKey = Long.MAX_VALUE;
    private float thresholdScore = Float.NEGATIVE_INFINITY;

    public TopK(int capacity) {
        if (capacity < 1 || capacity > (Integer.MAX_VALUE - 16) / 2) {
            throw new IllegalArgumentException("capacity must be in [1, " + (Integer.MAX_VALUE - 16) / 2 + "], got " + capacity);
        }
        this.capacity = capacity;
        this.keys = new long[2 * capacity + 16];
    }

    public void clear() {
        size = 0;
        thresholdKey = Long.MAX_VALUE;
        thresholdScore = Float.NEGATIVE_INFINITY;
    }

    /** Number of entries {@link #drainDescending} would return now. */
    public int size() {
        return Math.min(size, capacity);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * False when {@code score} certainly cannot be kept (callers skip costlier checks then);
     * true when it may be.
     */
    public boolean wouldAccept(float score) {
        return score >= thresholdScore;
    }

    public void offer(int id, float score) {
        if (!(score >= thresholdScore)) {
            return; // below the threshold, or NaN
        }
        long key = key(id, score);
        if (key > thresholdKey) {
            return; // equal score, higher id than the current last kept
        }
        keys[size++] = key;
        if (size == keys.length) {
            cutToCapacity();
        }
    }

    /** Empties the buffer into {@code outIds}/{@code outScores}, best first, and returns the count. */
    public int drainDescending(int[] outIds, float[] outScores) {
        if (size > capacity) {
            cutToCapacity();
        }
        int n = size;
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) {
            outIds[i] = (int) keys[i];
            outScores[i] = scoreOf(keys[i]);
        }
        clear();
        return n;
    }

    /** Keeps the best {@code capacity} keys (the smallest) and raises the threshold to the last of them. */
    private void cutToCapacity() {
        select(keys, 0, size - 1, capacity - 1);
        size = capacity;
        long last = keys[0];
        for (int i = 1; i < capacity; i++) {
            last = Math.max(last, keys[i]);
        }
        thresholdKey = last;
        thresholdScore = scoreOf(last);
    }

    /**
     * Ascending order of keys = descending score, then ascending id. The score's bits are mapped
     * to an int that orders like the float, inverted so better scores sort first.
     */
    private static long key(int id, float score) {
        int bits = Float.floatToRawIntBits(score == 0f ? 0f : score); // -0 and +0 tie
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | (id & 0xffffffffL);
    }

    private static float scoreOf(long key) {
        int ordered = ~(int) (key >>> 32);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
    }

    /** Rearranges {@code a[lo..hi]} so that {@code a[nth]} holds the value a full sort would put there, smaller ones before it. */
    private static void select(long[] a, int lo, int hi, int nth) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            long pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i++, j--);
                }
            }
            if (nth <= j) {
                hi = j;
            } else if (nth >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

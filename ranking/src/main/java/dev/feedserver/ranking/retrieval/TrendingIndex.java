package dev.feedserver.ranking.retrieval;

import java.util.Arrays;
import org.agrona.collections.Int2IntHashMap;

/**
 * Trending items: per-item exponentially decayed interaction counters, {@code sum w * exp(-(now - t) / tau)},
 * kept in forward-decay form (each event adds {@code w * exp((t - base) / tau)}), so the order of
 * items never changes with the clock and the current top items can be maintained incrementally:
 * a score only grows, and an item enters the bounded top set when it passes the set's minimum.
 * When the exponent grows large, every score is rebased onto a later base time (one pass).
 *
 * <p>Threading: {@link #record} and {@link #top} synchronise on the index; events arrive at
 * thousands per second, so one lock is cheap. Reads return a fresh array, best first.
 */
public final class TrendingIndex {
    private static final double REBASE_EXPONENT = 40;

    private final double tauMillis;
    private final int capacity;
    private double[] scores = new double[1024];
    private long baseMillis = Long.MIN_VALUE;
    // Min-heap of the top items by score, with each item's position for increase-key.
    private final int[] heap;
    private int size;
    private final Int2IntHashMap position = new Int2IntHashMap(-1);
    /** Sorted copy of the heap, rebuilt by the first read after a change. */
    private int[] sorted = new int[0];
    private boolean dirty;

    public TrendingIndex(long halfLifeMillis, int capacity) {
        if (halfLifeMillis <= 0 || capacity < 1) {
            throw new IllegalArgumentException("half-life and capacity must be positive, got " + halfLifeMillis + ", " + capacity);
        }
        this.tauMillis = halfLifeMillis / Math.log(2);
        this.capacity = capacity;
        this.heap = new int[capacity];
    }

    /** Adds an interaction of weight {@code weight} on {@code item} at {@code timeMillis}. */
    public synchronized void record(int item, double weight, long timeMillis) {
        if (weight <= 0) {
            return;
        }
        if (baseMillis == Long.MIN_VALUE) {
            baseMillis = timeMillis;
        }
        double exponent = (timeMillis - baseMillis) / tauMillis;
        if (exponent > REBASE_EXPONENT) {
            rebase(timeMillis);
            exponent = 0;
        }
        if (item >= scores.length) {
            scores = Arrays.copyOf(scores, Math.max(item + 1, scores.length * 2));
        }
        scores[item] += weight * Math.exp(exponent);
        offer(item);
        dirty = true;
    }

    /** Decayed score of {@code item} as of {@code nowMillis}. */
    public synchronized double score(int item, long nowMillis) {
        if (item >= scores.length || baseMillis == Long.MIN_VALUE) {
            return 0;
        }
        return scores[item] * Math.exp(-(nowMillis - baseMillis) / tauMillis);
    }

    /** Up to {@code n} trending items, best first. */
    public synchronized int[] top(int n) {
        if (dirty) {
            Integer[] items = new Integer[size];
            for (int i = 0; i < size; i++) {
                items[i] = heap[i];
            }
            Arrays.sort(items, (a, b) -> scores[b] != scores[a] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
            sorted = new int[size];
            for (int i = 0; i < size; i++) {
                sorted[i] = items[i];
            }
            dirty = false;
        }
        return Arrays.copyOf(sorted, Math.min(n, sorted.length));
    }

    /** The counters as they are: forward-decay base time and each item's score relative to it. */
    public record State(long baseMillis, double[] scores) {
    }

    /** A copy of the counters, for checkpoints. */
    public synchronized State export() {
        return new State(baseMillis, scores.clone());
    }

    /** Replaces every counter with {@code state} (a checkpoint's) and rebuilds the top set. */
    public synchronized void restore(State state) {
        baseMillis = state.baseMillis();
        scores = Arrays.copyOf(state.scores(), Math.max(1024, state.scores().length));
        size = 0;
        position.clear();
        for (int item = 0; item < scores.length; item++) {
            if (scores[item] > 0) {
                offer(item);
            }
        }
        dirty = true;
    }

    private void offer(int item) {
        int at = position.get(item);
        if (at >= 0) {
            siftDown(at); // its score grew: in a min-heap it may sink
            return;
        }
        if (size < capacity) {
            heap[size] = item;
            position.put(item, size);
            siftUp(size++);
        } else if (scores[item] > scores[heap[0]]) {
            position.remove(heap[0]);
            heap[0] = item;
            position.put(item, 0);
            siftDown(0);
        }
    }

    private void rebase(long newBase) {
        double factor = Math.exp(-(newBase - baseMillis) / tauMillis);
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= factor;
        }
        baseMillis = newBase;
    }

    private boolean less(int a, int b) {
        return scores[heap[a]] < scores[heap[b]] || (scores[heap[a]] == scores[heap[b]] && heap[a] > heap[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!less(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int smallest = l + 1 < size && less(l + 1, l) ? l + 1 : l;
            if (!less(smallest, i)) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
        position.put(heap[a], a);
        position.put(heap[b], b);
    }
}

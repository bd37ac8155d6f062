package dev.feedserver.ranking.retrieval;

/**
 * Keeps the {@code capacity} highest-scoring ids seen, in a primitive binary min-heap: no
 * allocation per offer. Ties keep the earlier id.
 *
 * <p>Not thread-safe: one instance per thread, reused across requests via {@link #clear()}.
 */
public final class TopK {
    private final int[] ids;
    private final float[] scores;
    private int size;

    public TopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        ids = new int[capacity];
        scores = new float[capacity];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return ids.length;
    }

    /** True when {@code score} would enter the heap (callers can skip costlier checks otherwise). */
    public boolean wouldAccept(float score) {
        return size < ids.length || score > scores[0];
    }

    public void offer(int id, float score) {
        if (size < ids.length) {
            int i = size++;
            ids[i] = id;
            scores[i] = score;
            siftUp(i);
        } else if (score > scores[0]) {
            ids[0] = id;
            scores[0] = score;
            siftDown(0);
        }
    }

    /**
     * Empties the heap into {@code outIds}/{@code outScores}, best first, and returns the count.
     */
    public int drainDescending(int[] outIds, float[] outScores) {
        int n = size;
        for (int i = n - 1; i >= 0; i--) {
            outIds[i] = ids[0];
            outScores[i] = scores[0];
            size--;
            if (size > 0) {
                ids[0] = ids[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }
        return n;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (scores[i] >= scores[parent]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int smallest = left;
            int right = left + 1;
            if (right < size && scores[right] < scores[left]) {
                smallest = right;
            }
            if (scores[i] <= scores[smallest]) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}

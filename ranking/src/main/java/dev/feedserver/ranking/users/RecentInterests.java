package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.ChunkedArray;

/**
 * Each user's last few positive interactions (item rows, newest last): the short-term interest
 * the feed blends into the long-term user vector, so that a change of taste shows after two or
 * three clicks instead of the ten or so the 10% drift alone needs (docs/learning.md).
 *
 * <p>Threading: any thread; each user's ring is guarded by its own monitor. Memory: {@code size}
 * ints per user who ever had a positive event.
 */
public final class RecentInterests {
    private final int size;
    private final ChunkedArray<Ring> rings = new ChunkedArray<>();

    public RecentInterests(int size) {
        if (size < 1 || size > 64) {
            throw new IllegalArgumentException("recent interests per user must be in [1, 64], got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Makes sure users {@code [0, users)} have a ring. */
    public synchronized void ensureUsers(int users) {
        while (rings.size() < users) {
            rings.append(new Ring(size));
        }
    }

    /** Records a positive interaction of {@code user} with {@code item}. */
    public void record(int user, int item) {
        rings.get(user).add(item);
    }

    /** Copies {@code user}'s recent items, newest first, into {@code out}; returns how many. */
    public int newestFirst(int user, int[] out) {
        if (user < 0 || user >= rings.size()) {
            return 0;
        }
        return rings.get(user).copyNewestFirst(out);
    }

    /** Replaces {@code user}'s recent items with {@code newestFirst} (a checkpoint's). */
    public void replace(int user, int[] newestFirst) {
        rings.get(user).replace(newestFirst);
    }

    private static final class Ring {
        private final int[] items;
        private int count;
        private int next;

        Ring(int size) {
            items = new int[size];
        }

        synchronized void add(int item) {
            items[next] = item;
            next = (next + 1) % items.length;
            count = Math.min(count + 1, items.length);
        }

        synchronized void replace(int[] newestFirst) {
            count = 0;
            next = 0;
            for (int i = Math.min(newestFirst.length, items.length) - 1; i >= 0; i--) {
                add(newestFirst[i]);
            }
        }

        synchronized int copyNewestFirst(int[] out) {
            int n = Math.min(count, out.length);
            for (int i = 0; i < n; i++) {
                out[i] = items[Math.floorMod(next - 1 - i, items.length)];
            }
            return n;
        }
    }
}

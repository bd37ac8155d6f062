package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.ChunkedArray;
import org.agrona.collections.IntHashSet;

/**
 * Per-user set of items already consumed, filtered out of that user's feeds. Bounded: each user
 * keeps at most {@code capacityPerUser} items; beyond that the oldest is forgotten (and may be
 * recommended again), so memory per user never grows without bound.
 *
 * <p>Threading: any thread; each user's set is guarded by its own monitor.
 */
public final class ConsumedItems {
    private final int capacityPerUser;
    private final ChunkedArray<UserSet> sets = new ChunkedArray<>();

    public ConsumedItems(int capacityPerUser) {
        if (capacityPerUser < 1) {
            throw new IllegalArgumentException("capacityPerUser must be >= 1, got " + capacityPerUser);
        }
        this.capacityPerUser = capacityPerUser;
    }

    /** Makes sure users {@code [0, users)} have a set. */
    public synchronized void ensureUsers(int users) {
        while (sets.size() < users) {
            sets.append(new UserSet(capacityPerUser));
        }
    }

    public void add(int user, int item) {
        sets.get(user).add(item);
    }

    public boolean contains(int user, int item) {
        return user >= 0 && user < sets.size() && sets.get(user).contains(item);
    }

    /**
     * Replaces {@code dst}'s contents with {@code user}'s items (nothing for an unknown user): a
     * request copies the set once and then filters thousands of candidates without locking.
     */
    public void copyTo(int user, IntHashSet dst) {
        dst.clear();
        if (user >= 0 && user < sets.size()) {
            sets.get(user).copyTo(dst);
        }
    }

    /** {@code user}'s items, oldest first (empty for an unknown user): for checkpoints. */
    public int[] itemsInOrder(int user) {
        return user >= 0 && user < sets.size() ? sets.get(user).inOrder() : new int[0];
    }

    /** Replaces {@code user}'s items with {@code oldestFirst} (a checkpoint's), keeping the bound. */
    public void replace(int user, int[] oldestFirst) {
        sets.get(user).replace(oldestFirst);
    }

    public int count(int user) {
        return user >= 0 && user < sets.size() ? sets.get(user).size() : 0;
    }

    /** One user's items: a hash set for lookups plus insertion order for eviction. */
    private static final class UserSet {
        private static final int INITIAL = 8;

        private final IntHashSet items = new IntHashSet(INITIAL);
        private final int capacity;
        /** Ring of items in insertion order; grows by doubling up to {@code capacity}. */
        private int[] order;
        private int oldest;

        UserSet(int capacity) {
            this.capacity = capacity;
            this.order = new int[Math.min(INITIAL, capacity)];
        }

        synchronized void add(int item) {
            if (!items.add(item)) {
                return;
            }
            int size = items.size();
            if (size <= order.length) {
                order[(oldest + size - 1) % order.length] = item;
            } else if (order.length < capacity) {
                int[] grown = new int[Math.min(capacity, order.length * 2)];
                for (int i = 0; i < size - 1; i++) {
                    grown[i] = order[(oldest + i) % order.length];
                }
                grown[size - 1] = item;
                order = grown;
                oldest = 0;
            } else {
                items.remove(order[oldest]);
                order[oldest] = item;
                oldest = (oldest + 1) % order.length;
            }
        }

        synchronized int[] inOrder() {
            int size = items.size();
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = order[(oldest + i) % order.length];
            }
            return out;
        }

        synchronized void replace(int[] oldestFirst) {
            items.clear();
            order = new int[Math.min(INITIAL, capacity)];
            oldest = 0;
            for (int item : oldestFirst) {
                add(item);
            }
        }

        synchronized void copyTo(IntHashSet dst) {
            dst.addAll(items);
        }

        synchronized boolean contains(int item) {
            return items.contains(item);
        }

        synchronized int size() {
            return items.size();
        }
    }
}

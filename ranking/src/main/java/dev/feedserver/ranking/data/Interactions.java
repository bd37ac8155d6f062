package dev.feedserver.ranking.data;

import java.util.Arrays;

/**
 * Columnar interaction history: parallel arrays of user row, item row and time, so that tens of
 * millions of interactions cost 16 bytes each instead of an object each.
 *
 * <p>Threading: build on one thread with {@link #add}, then treat as read-only.
 */
public final class Interactions {
    private int[] users;
    private int[] items;
    private long[] timesMillis;
    private int size;

    public Interactions(int expected) {
        int capacity = Math.max(16, expected);
        users = new int[capacity];
        items = new int[capacity];
        timesMillis = new long[capacity];
    }

    public void add(int user, int item, long timeMillis) {
        if (size == users.length) {
            int grown = users.length + (users.length >> 1);
            users = Arrays.copyOf(users, grown);
            items = Arrays.copyOf(items, grown);
            timesMillis = Arrays.copyOf(timesMillis, grown);
        }
        users[size] = user;
        items[size] = item;
        timesMillis[size] = timeMillis;
        size++;
    }

    public int size() {
        return size;
    }

    public int user(int i) {
        return users[i];
    }

    public int item(int i) {
        return items[i];
    }

    public long timeMillis(int i) {
        return timesMillis[i];
    }
}

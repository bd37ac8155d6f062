package dev.feedserver.ranking.data;

import java.util.Arrays;

/**
 * Columnar interaction history: parallel arrays of user row, item row, time and explicit rating,
 * so that tens of millions of interactions cost 20 bytes each instead of an object each. The
 * rating is {@link #NO_RATING} for purely implicit interactions; MovieLens carries its star
 * rating (0.5..5) and the synthetic world a rating drawn from its hidden preference model. The
 * ranker's objective labels (click, like, long dwell, negative) come from it.
 *
 * <p>Threading: build on one thread with {@link #add}, then treat as read-only.
 */
public final class Interactions {
    private int[] users;
    private int[] items;
    private long[] timesMillis;
    private float[] ratings;
    private int size;

    /** Rating of an interaction that carries none (implicit feedback only). */
    public static final float NO_RATING = 0f;

    public Interactions(int expected) {
        int capacity = Math.max(16, expected);
        users = new int[capacity];
        items = new int[capacity];
        timesMillis = new long[capacity];
        ratings = new float[capacity];
    }

    /** Adds an implicit interaction (no rating). */
    public void add(int user, int item, long timeMillis) {
        add(user, item, timeMillis, NO_RATING);
    }

    /** Adds an interaction with an explicit rating ({@link #NO_RATING} for none). */
    public void add(int user, int item, long timeMillis, float rating) {
        if (size == users.length) {
            int grown = users.length + (users.length >> 1);
            users = Arrays.copyOf(users, grown);
            items = Arrays.copyOf(items, grown);
            timesMillis = Arrays.copyOf(timesMillis, grown);
            ratings = Arrays.copyOf(ratings, grown);
        }
        users[size] = user;
        items[size] = item;
        timesMillis[size] = timeMillis;
        ratings[size] = rating;
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

    /** The explicit rating of interaction {@code i}, or {@link #NO_RATING}. */
    public float rating(int i) {
        return ratings[i];
    }
}

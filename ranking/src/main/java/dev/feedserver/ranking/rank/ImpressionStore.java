package dev.feedserver.ranking.rank;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent impressions of served feeds, for joining with later events: per user a ring of the
 * last {@code perUser} items shown with their raw head logits, users bounded by an LRU of
 * {@code maxUsers} (least recently served first out), split over 16 independently locked
 * stripes so concurrent feeds rarely contend. An impression leaves either by being
 * {@link #take taken} (joined with an event) or by expiring unjoined: pushed out of its user's
 * ring, or dropped with an evicted user; an expired one goes to the {@link Sink} as an
 * unlabelled-by-any-event (all heads negative) example. Re-serving an item the ring still holds
 * replaces its logits in place instead of expiring it.
 *
 * <p>Memory: per user about {@code 20 * perUser + 200} bytes of heap (item ints, four float
 * logits, the ring and map entry), so {@code maxUsers * (20 * perUser + 200)} at most.
 *
 * <p>Threading: thread-safe; the sink is called under a stripe's lock and must not call back.
 */
final class ImpressionStore {
    private static final int STRIPES = 16;
    private static final int HEADS = Objective.COUNT;
    private static final int NONE = -1;

    /** Receives expired impressions' logits ({@code logits[offset .. offset + 4)}). */
    interface Sink {
        void expired(float[] logits, int offset);
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final int perUser;

    ImpressionStore(int perUser, int maxUsers, Sink sink) {
        this.perUser = perUser;
        int usersPerStripe = Math.max(1, maxUsers / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(usersPerStripe, sink);
        }
    }

    private Stripe stripe(String userId) {
        int h = userId.hashCode();
        return stripes[(h ^ h >>> 16) & (STRIPES - 1)];
    }

    /** Records {@code n} items shown to {@code userId}, item {@code i}'s logits at {@code logits[i * 4]}. */
    void record(String userId, int[] items, float[] logits, int n) {
        Stripe stripe = stripe(userId);
        synchronized (stripe) {
            Ring ring = stripe.users.get(userId);
            if (ring == null) {
                ring = new Ring(perUser);
                stripe.users.put(userId, ring);
            }
            for (int i = 0; i < n; i++) {
                ring.record(items[i], logits, i * HEADS, stripe.sink);
            }
        }
    }

    /**
     * Removes the newest impression of {@code item} for {@code userId} and copies its logits to
     * {@code out[0..4)}; false when there is none.
     */
    boolean take(String userId, int item, float[] out) {
        Stripe stripe = stripe(userId);
        synchronized (stripe) {
            Ring ring = stripe.users.get(userId);
            return ring != null && ring.take(item, out);
        }
    }

    /** Users currently holding impressions. */
    int users() {
        int n = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                n += stripe.users.size();
            }
        }
        return n;
    }

    /** One lock's share of the users, least recently served first. */
    private static final class Stripe {
        final Sink sink;
        final LinkedHashMap<String, Ring> users;

        Stripe(int capacity, Sink sink) {
            this.sink = sink;
            this.users = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Ring> eldest) {
                    if (size() <= capacity) {
                        return false;
                    }
                    eldest.getValue().expireAll(sink);
                    return true;
                }
            };
        }
    }

    /**
     * One user's last impressions; a slot is free when its item is {@code NONE}. A new item takes
     * a free slot or the one shown longest ago (by stamp), so items of the page being recorded
     * never push each other out.
     */
    private static final class Ring {
        final int[] items;
        final long[] stamps;
        final float[] logits;
        long clock;

        Ring(int capacity) {
            items = new int[capacity];
            java.util.Arrays.fill(items, NONE);
            stamps = new long[capacity];
            logits = new float[capacity * HEADS];
        }

        void record(int item, float[] source, int offset, Sink sink) {
            // One pass: the item's own slot if it is still here, else the free or oldest slot.
            int slot = -1;
            int oldest = 0;
            for (int i = 0; i < items.length; i++) {
                if (items[i] == item) {
                    slot = i;
                    break;
                }
                if (items[oldest] != NONE && (items[i] == NONE || stamps[i] < stamps[oldest])) {
                    oldest = i;
                }
            }
            if (slot < 0) {
                slot = oldest;
                if (items[slot] != NONE) {
                    sink.expired(logits, slot * HEADS);
                }
                items[slot] = item;
            }
            stamps[slot] = ++clock;
            System.arraycopy(source, offset, logits, slot * HEADS, HEADS);
        }

        boolean take(int item, float[] out) {
            int slot = find(item);
            if (slot < 0) {
                return false;
            }
            System.arraycopy(logits, slot * HEADS, out, 0, HEADS);
            items[slot] = NONE;
            return true;
        }

        /** The slot holding {@code item}, or -1. Items are unique in a ring (re-records replace). */
        int find(int item) {
            for (int i = 0; i < items.length; i++) {
                if (items[i] == item) {
                    return i;
                }
            }
            return -1;
        }

        void expireAll(Sink sink) {
            for (int i = 0; i < items.length; i++) {
                if (items[i] != NONE) {
                    sink.expired(logits, i * HEADS);
                    items[i] = NONE;
                }
            }
        }
    }
}

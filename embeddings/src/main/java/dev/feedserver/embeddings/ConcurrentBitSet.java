package dev.feedserver.embeddings;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A growable set of non-negative ints (dense rows) as bits in fixed-size chunks, so growth never
 * copies published bits and reads never lock.
 *
 * <p>Threading: {@link #contains} is safe from any thread and sees every {@link #set}/{@link #clear}
 * that returned before it started; writers are serialised internally. Lifecycle: heap only.
 */
public final class ConcurrentBitSet {
    private static final int CHUNK_BITS = 16; // 65,536 bits (8 KiB) per chunk
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;

    private volatile AtomicLongArray[] chunks = new AtomicLongArray[0];
    private volatile int cardinality;

    public boolean contains(int index) {
        AtomicLongArray[] c = chunks;
        int chunk = index >>> CHUNK_BITS;
        if (index < 0 || chunk >= c.length) {
            return false;
        }
        int bit = index & CHUNK_MASK;
        return (c[chunk].get(bit >>> 6) & (1L << bit)) != 0;
    }

    /** Adds {@code index}; returns true if it was absent. */
    public synchronized boolean set(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative index " + index);
        }
        AtomicLongArray[] c = chunks;
        int chunk = index >>> CHUNK_BITS;
        if (chunk >= c.length) {
            AtomicLongArray[] grown = java.util.Arrays.copyOf(c, chunk + 1);
            for (int i = c.length; i <= chunk; i++) {
                grown[i] = new AtomicLongArray(1 << (CHUNK_BITS - 6));
            }
            chunks = grown;
            c = grown;
        }
        int bit = index & CHUNK_MASK;
        long before = c[chunk].getAndUpdate(bit >>> 6, word -> word | (1L << bit));
        boolean added = (before & (1L << bit)) == 0;
        if (added) {
            cardinality++;
        }
        return added;
    }

    /** Removes {@code index}; returns true if it was present. */
    public synchronized boolean clear(int index) {
        if (!contains(index)) {
            return false;
        }
        int bit = index & CHUNK_MASK;
        chunks[index >>> CHUNK_BITS].getAndUpdate(bit >>> 6, word -> word & ~(1L << bit));
        cardinality--;
        return true;
    }

    /** Number of members. */
    public int cardinality() {
        return cardinality;
    }

    /** Calls {@code action} for every member in ascending order (a weakly consistent view). */
    public void forEach(java.util.function.IntConsumer action) {
        AtomicLongArray[] c = chunks;
        for (int chunk = 0; chunk < c.length; chunk++) {
            for (int w = 0; w < c[chunk].length(); w++) {
                long word = c[chunk].get(w);
                while (word != 0) {
                    int bit = Long.numberOfTrailingZeros(word);
                    action.accept((chunk << CHUNK_BITS) + (w << 6) + bit);
                    word &= word - 1;
                }
            }
        }
    }
}

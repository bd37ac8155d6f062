package dev.feedserver.ranking.catalog;

import java.util.Arrays;

/**
 * Per-item interaction counters over several decay windows: for each item, exponentially
 * decayed counts of positive, negative and neutral (view) events with time constants of one,
 * eight and 64 hours (each window eight times the last, so reading needs one {@code exp} and
 * squarings rather than three {@code exp}s: the ranker reads thousands per request). They are the ranker's "item statistics" features: how an item is
 * doing right now, not just how popular it ever was.
 *
 * <p>Each item keeps its counts as of its last update plus that time; recording decays them to
 * the event's time and adds one, reading decays them to the reader's time without writing.
 * Events arriving slightly out of order are counted at the newest time seen (never decayed
 * backwards).
 *
 * <p>Threading: thread-safe. Writers of one item take one of 256 stripe locks and bump the
 * item's sequence number around the write; readers take no lock: they read optimistically and
 * retry if the sequence moved (a seqlock). The ranker reads a few thousand items per request
 * from every worker at once, and the popular items are in every request: with read locks the
 * workers queued on the same stripes.
 * Lifecycle: plain heap memory; grows with the catalogue ({@link #ensureItems}).
 */
public final class ItemStatistics {
    /** Kinds of event counted. */
    public enum Kind { POSITIVE, NEGATIVE, VIEW }

    /** Decay time constants, milliseconds: 1 h, 8 h, 64 h. */
    static final long[] WINDOWS_MILLIS = {3_600_000L, 8 * 3_600_000L, 64 * 3_600_000L};
    /** Counters per item: kinds x windows. */
    public static final int COUNTERS = 3 * WINDOWS_MILLIS.length;
    private static final int TOTAL = COUNTERS + 1;  // slot of the undecayed count of positive events
    private static final int SLOTS = COUNTERS + 2;  // + the time of the last update, + the total
    private static final int CHUNK_ITEMS = 4_096;
    private static final int STRIPES = 256;

    private static final java.lang.invoke.VarHandle SEQUENCE = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

    private final Object[] locks = new Object[STRIPES];
    private volatile double[][] chunks = new double[0][];
    /** Per item, even when stable and odd while a writer is inside; grown with {@link #chunks}, published first. */
    private volatile long[][] sequences = new long[0][];

    public ItemStatistics() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Makes room for items {@code 0..items-1}. */
    public synchronized void ensureItems(int items) {
        int needed = (items + CHUNK_ITEMS - 1) / CHUNK_ITEMS;
        if (needed > chunks.length) {
            double[][] grown = Arrays.copyOf(chunks, needed);
            long[][] grownSequences = Arrays.copyOf(sequences, needed);
            for (int c = chunks.length; c < needed; c++) {
                grown[c] = new double[CHUNK_ITEMS * SLOTS];
                grownSequences[c] = new long[CHUNK_ITEMS];
            }
            // Sequences first: a reader that finds a chunk finds its sequences too.
            sequences = grownSequences;
            chunks = grown;
        }
    }

    /** Counts one event of {@code kind} for {@code item} at {@code timeMillis}. */
    public void record(int item, Kind kind, long timeMillis) {
        double[] chunk = chunkOf(item);
        long[] sequence = sequences[item / CHUNK_ITEMS];
        int index = item % CHUNK_ITEMS;
        int base = index * SLOTS;
        synchronized (locks[item & (STRIPES - 1)]) {
            long seq = (long) SEQUENCE.getOpaque(sequence, index);
            SEQUENCE.setOpaque(sequence, index, seq + 1);
            java.lang.invoke.VarHandle.storeStoreFence();
            double last = chunk[base + COUNTERS];
            double now = Math.max(last, timeMillis);
            decay(chunk, base, now - last);
            chunk[base + COUNTERS] = now;
            for (int w = 0; w < WINDOWS_MILLIS.length; w++) {
                chunk[base + kind.ordinal() * WINDOWS_MILLIS.length + w] += 1.0;
            }
            if (kind == Kind.POSITIVE) {
                chunk[base + TOTAL] += 1.0;
            }
            SEQUENCE.setRelease(sequence, index, seq + 2);
        }
    }

    /**
     * The item's positive events ever counted (not decayed): its interaction count, read here
     * with the counters under one lock rather than from the catalogue's off-heap metadata.
     */
    public long positives(int item) {
        double[][] all = chunks;
        int c = item / CHUNK_ITEMS;
        if (item < 0 || c >= all.length) {
            return 0;
        }
        long[] sequence = sequences[c];
        int index = item % CHUNK_ITEMS;
        for (;;) {
            long before = (long) SEQUENCE.getAcquire(sequence, index);
            if ((before & 1) == 0) {
                double total = all[c][index * SLOTS + TOTAL];
                java.lang.invoke.VarHandle.loadLoadFence();
                if (before == (long) SEQUENCE.getOpaque(sequence, index)) {
                    return (long) total;
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Writes the item's counters decayed to {@code nowMillis} into {@code out[offset..offset+COUNTERS)}
     * (kind-major: positive 1 h, 8 h, 64 h, negative..., view...) and returns its undecayed
     * positive total ({@link #positives}). An item never counted reads zeros.
     */
    public long read(int item, long nowMillis, float[] out, int offset) {
        double[][] all = chunks;
        int c = item / CHUNK_ITEMS;
        if (item < 0 || c >= all.length) {
            Arrays.fill(out, offset, offset + COUNTERS, 0f);
            return 0;
        }
        double[] chunk = all[c];
        long[] sequence = sequences[c];
        int index = item % CHUNK_ITEMS;
        int base = index * SLOTS;
        for (;;) {
            long before = (long) SEQUENCE.getAcquire(sequence, index);
            if ((before & 1) == 0) {
                long total = readStable(chunk, base, nowMillis, out, offset);
                java.lang.invoke.VarHandle.loadLoadFence();
                if (before == (long) SEQUENCE.getOpaque(sequence, index)) {
                    return total;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** The body of {@link #read}: plain reads, validated by the caller's sequence check. */
    private static long readStable(double[] chunk, int base, long nowMillis, float[] out, int offset) {
        double last = chunk[base + COUNTERS];
        double total = chunk[base + TOTAL];
        if (last == 0) {
            Arrays.fill(out, offset, offset + COUNTERS, 0f); // never counted
            return (long) total;
        }
        double elapsed = Math.max(0, nowMillis - last);
        double f64 = Math.exp(-elapsed / WINDOWS_MILLIS[2]);
        double f8 = pow8(f64);
        double f1 = pow8(f8);
        for (int k = 0; k < 3; k++) {
            int i = k * WINDOWS_MILLIS.length;
            out[offset + i] = (float) (chunk[base + i] * f1);
            out[offset + i + 1] = (float) (chunk[base + i + 1] * f8);
            out[offset + i + 2] = (float) (chunk[base + i + 2] * f64);
        }
        return (long) total;
    }

    /** Every item's raw state (counters then last-update time, per item), for checkpoints. */
    public synchronized double[] export(int items) {
        double[] out = new double[items * SLOTS];
        for (int item = 0; item < items; item++) {
            int c = item / CHUNK_ITEMS;
            if (c >= chunks.length) {
                break;
            }
            synchronized (locks[item & (STRIPES - 1)]) {
                System.arraycopy(chunks[c], (item % CHUNK_ITEMS) * SLOTS, out, item * SLOTS, SLOTS);
            }
        }
        return out;
    }

    /** Restores what {@link #export} wrote. */
    public synchronized void restore(double[] state) {
        if (state.length % SLOTS != 0) {
            throw new IllegalArgumentException("item statistics state must be a multiple of " + SLOTS + " values, got " + state.length);
        }
        int items = state.length / SLOTS;
        ensureItems(items);
        for (int item = 0; item < items; item++) {
            long[] sequence = sequences[item / CHUNK_ITEMS];
            int index = item % CHUNK_ITEMS;
            synchronized (locks[item & (STRIPES - 1)]) {
                long seq = (long) SEQUENCE.getOpaque(sequence, index);
                SEQUENCE.setOpaque(sequence, index, seq + 1);
                java.lang.invoke.VarHandle.storeStoreFence();
                System.arraycopy(state, item * SLOTS, chunks[item / CHUNK_ITEMS], index * SLOTS, SLOTS);
                SEQUENCE.setRelease(sequence, index, seq + 2);
            }
        }
    }

    private double[] chunkOf(int item) {
        double[][] all = chunks;
        int c = item / CHUNK_ITEMS;
        if (c >= all.length) {
            ensureItems(item + 1);
            all = chunks;
        }
        return all[c];
    }

    private static double pow8(double x) {
        double x2 = x * x;
        double x4 = x2 * x2;
        return x4 * x4;
    }

    private static void decay(double[] chunk, int base, double elapsed) {
        if (elapsed <= 0) {
            return;
        }
        for (int w = 0; w < WINDOWS_MILLIS.length; w++) {
            double factor = Math.exp(-elapsed / WINDOWS_MILLIS[w]);
            for (int k = 0; k < 3; k++) {
                chunk[base + k * WINDOWS_MILLIS.length + w] *= factor;
            }
        }
    }
}

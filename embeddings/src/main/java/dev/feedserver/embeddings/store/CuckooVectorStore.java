package dev.feedserver.embeddings.store;

import dev.feedserver.embeddings.Vectors;
import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Off-heap bucketized cuckoo hash table from 64-bit keys to fixed-dimension vectors with
 * per-entry metadata; byte layout in {@link StoreLayout}. Each key has two candidate buckets
 * of 8 slots; a one-byte tag per slot lets a lookup skip non-matching slots without touching
 * their keys; an insert into two full buckets relocates entries along the shortest path a
 * bounded breadth-first search finds, and fails with {@link StoreFullException} when there is
 * none (the table is full; it does not grow).
 *
 * <p>Threading: any number of threads may call any method. Readers never lock in the common
 * case: a lookup validates per-stripe bucket versions (bumped by every structural change) and
 * the entry's sequence word (bumped by every value write), and retries if either moved; after
 * {@value #OPTIMISTIC_ATTEMPTS} failed attempts (a key under constant writes) it takes the
 * key's stripe locks once, so readers cannot starve. Value writes lock the stripes of both of
 * the key's candidate buckets (which pins the entry in place); inserts, removals and moves also
 * hold one structure lock.
 *
 * <p>Lifecycle: owns a shared arena; {@link #close()} frees it, is idempotent, and must run
 * only once no other thread uses the store (later calls fail with {@link IllegalStateException}).
 */
public final class CuckooVectorStore implements AutoCloseable {
    static final int STRIPES = 4096;
    private static final long HUGE_PAGE = 2L << 20;
    static final int OPTIMISTIC_ATTEMPTS = 32;
    private static final int MAX_SEARCH_BUCKETS = 2_048;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long LOW_BYTES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final StoreLayout layout;
    private final Arena arena = Arena.ofShared();
    final MemorySegment tags;
    final MemorySegment entries;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final ReentrantLock[] stripeLocks = new ReentrantLock[STRIPES];
    private final ReentrantLock structure = new ReentrantLock();
    private final AtomicLong size = new AtomicLong();
    private final ThreadLocal<Scratch> scratch;
    private volatile boolean closed;

    public CuckooVectorStore(int dim, StorageType type, long capacity) {
        this(StoreLayout.of(dim, type, capacity));
    }

    CuckooVectorStore(StoreLayout layout) {
        this.layout = layout;
        this.tags = allocate(layout.tagBytes());
        this.entries = allocate(layout.entryRegionBytes());
        for (int i = 0; i < STRIPES; i++) {
            stripeLocks[i] = new ReentrantLock();
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(layout.dim()));
    }

    /**
     * Large regions, with the native library, are mapped with transparent huge pages from their
     * first touch ({@link NativeKernels#mapHuge}): a random lookup in a multi-gigabyte table then
     * costs cache misses, not page-table walks too. Small ones, and all of them on the pure-Java
     * backend, come from the arena.
     */
    private MemorySegment allocate(long bytes) {
        if (bytes >= HUGE_PAGE && KernelBackend.current() == KernelBackend.NATIVE) {
            return NativeKernels.mapHuge(bytes, arena);
        }
        return arena.allocate(bytes, 64);
    }

    public StoreLayout layout() {
        return layout;
    }

    public int dim() {
        return layout.dim();
    }

    public long size() {
        return size.get();
    }

    /** Slots in the table; inserts fail somewhat before every slot is used. */
    public long slots() {
        return layout.slots();
    }

    public double loadFactor() {
        return (double) size.get() / layout.slots();
    }

    /** Copies the dequantized vector of {@code key} into {@code dst}; false when absent. */
    public boolean get(long key, float[] dst) {
        return read(key, dst, null);
    }

    /** Metadata of {@code key}, or null when absent. */
    public EntryMeta meta(long key) {
        long[] meta = new long[2];
        return read(key, scratch.get().meta, meta) ? new EntryMeta(meta[0], meta[1]) : null;
    }

    /** Stores {@code vector} under {@code key}, replacing any previous value and counting one update. */
    public void put(long key, float[] vector, long nowMillis) {
        checkVector(vector);
        upsert(key, vector, nowMillis, 0f, Mode.PUT, -1);
    }

    /** Stores {@code vector} with an explicit interaction count (bulk loading from history). */
    public void put(long key, float[] vector, long nowMillis, long interactions) {
        checkVector(vector);
        if (interactions < 0) {
            throw new IllegalArgumentException("interactions must be >= 0, got " + interactions);
        }
        upsert(key, vector, nowMillis, 0f, Mode.PUT, interactions);
    }

    /**
     * Makes sure {@code key} has an entry, creating a zero vector with no interactions when it is
     * absent; returns true when it created one. Lets a caller reserve every entry a batch needs
     * before changing any, so a full store rejects the batch whole.
     */
    public boolean createIfAbsent(long key, long nowMillis) {
        long before = size.get();
        upsert(key, null, nowMillis, 0f, Mode.CREATE, 0);
        return size.get() != before;
    }

    /** Counts one update of {@code key} without changing its vector (an absent key starts at zero). */
    public void touch(long key, long nowMillis) {
        upsert(key, null, nowMillis, 0f, Mode.TOUCH, -1);
    }

    /**
     * Moves the vector of {@code key} toward {@code target}: {@code u <- normalise((1 - alpha) u + alpha target)}
     * as one atomic update (negative alpha pushes away). An absent key starts from the zero
     * vector, so its first drift stores the normalised target.
     */
    public void drift(long key, float[] target, float alpha, long nowMillis) {
        checkVector(target);
        if (!(alpha >= -1f && alpha <= 1f)) {
            throw new IllegalArgumentException("alpha must be in [-1, 1], got " + alpha);
        }
        upsert(key, target, nowMillis, alpha, Mode.DRIFT, -1);
    }

    /** What an upsert does to the value: replace it, drift it, or keep it. */
    private enum Mode {
        PUT,
        DRIFT,
        TOUCH,
        CREATE
    }

    /** Removes {@code key}; false when it was absent. */
    public boolean remove(long key) {
        checkOpen();
        long h = KeyHash.mix(key);
        long b1 = bucket1(h);
        long b2 = bucket2(h, b1);
        structure.lock();
        try {
            lockStripes(b1, b2);
            try {
                long slot = find(key, h, b1, b2);
                if (slot < 0) {
                    return false;
                }
                clearSlot(slot);
                return true;
            } finally {
                unlockStripes(b1, b2);
            }
        } finally {
            structure.unlock();
        }
    }

    /** Removes every entry last updated before {@code cutoffMillis}; returns how many. */
    public long expireOlderThan(long cutoffMillis) {
        checkOpen();
        long removed = 0;
        long cutoff = StoreClock.toStoreSeconds(cutoffMillis);
        for (long slot = 0; slot < layout.slots(); slot++) {
            if (tagAt(slot) == 0) {
                continue;
            }
            int updated = (int) INT.getOpaque(entries, layout.entryOffset(slot) + StoreLayout.LAST_UPDATE);
            if (Integer.compareUnsigned(updated, (int) cutoff) < 0 && remove(keyAt(slot))) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Visits every entry with a consistent copy of its vector (weakly consistent across entries:
     * entries changed during the walk may be seen before or after the change).
     */
    public void forEach(EntryVisitor visitor) {
        checkOpen();
        float[] vector = new float[layout.dim()];
        long[] meta = new long[2];
        for (long slot = 0; slot < layout.slots(); slot++) {
            if (tagAt(slot) != 0) {
                long key = keyAt(slot);
                if (read(key, vector, meta)) {
                    visitor.visit(key, vector, meta[0], meta[1]);
                }
            }
        }
    }

    /** Receives entries from {@link #forEach}; the vector array is reused between calls. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long key, float[] vector, long interactions, long lastUpdateMillis);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        structure.lock();
        try {
            arena.close();
        } finally {
            structure.unlock();
        }
    }

    // ---- reads ---------------------------------------------------------------------------

    private boolean read(long key, float[] dst, long[] meta) {
        checkOpen();
        long h = KeyHash.mix(key);
        long b1 = bucket1(h);
        long b2 = bucket2(h, b1);
        int s1 = stripe(b1);
        int s2 = stripe(b2);
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long v1 = versions.get(s1);
            long v2 = versions.get(s2);
            if (((v1 | v2) & 1) == 0) {
                long slot = find(key, h, b1, b2);
                if (slot < 0) {
                    if (versions.get(s1) == v1 && versions.get(s2) == v2) {
                        return false;
                    }
                } else if (readEntry(slot, dst, meta) && versions.get(s1) == v1 && versions.get(s2) == v2) {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        lockStripes(b1, b2);
        try {
            long slot = find(key, h, b1, b2);
            return slot >= 0 && readEntry(slot, dst, meta);
        } finally {
            unlockStripes(b1, b2);
        }
    }

    /** One optimistic copy of an entry; false if a writer was inside. */
    private boolean readEntry(long slot, float[] dst, long[] meta) {
        long base = layout.entryOffset(slot);
        int seq = (int) INT.getAcquire(entries, base + StoreLayout.SEQUENCE);
        if ((seq & 1) != 0) {
            return false;
        }
        float scale = entries.get(ValueLayout.JAVA_FLOAT, base + StoreLayout.SCALE);
        layout.type().decode(entries, base + StoreLayout.HEADER_BYTES, layout.dim(), scale, dst, scratch.get().bytes);
        if (meta != null) {
            meta[0] = Integer.toUnsignedLong(entries.get(ValueLayout.JAVA_INT, base + StoreLayout.INTERACTIONS));
            meta[1] = StoreClock.toMillis(entries.get(ValueLayout.JAVA_INT, base + StoreLayout.LAST_UPDATE));
        }
        VarHandle.acquireFence();
        return (int) INT.getOpaque(entries, base + StoreLayout.SEQUENCE) == seq;
    }

    /**
     * The slot holding {@code key} in its two buckets, or -1. Both tag words are loaded before
     * either is examined, so on a large table their two cache misses overlap instead of queueing.
     */
    private long find(long key, long h, long b1, long b2) {
        long w1 = tags.get(ValueLayout.JAVA_LONG, b1 * Long.BYTES);
        long w2 = tags.get(ValueLayout.JAVA_LONG, b2 * Long.BYTES);
        long slot = findIn(b1, w1, key, tagOf(h));
        return slot >= 0 ? slot : findIn(b2, w2, key, tagOf(h));
    }

    private long findIn(long bucket, long word, long key, int tag) {
        long x = word ^ (tag * LOW_BYTES);
        long matches = (x - LOW_BYTES) & ~x & HIGH_BITS; // a high bit per byte equal to tag (plus rare false hits)
        while (matches != 0) {
            int slotInBucket = Long.numberOfTrailingZeros(matches) >>> 3;
            long slot = bucket * StoreLayout.SLOTS + slotInBucket;
            if (((word >>> (slotInBucket * 8)) & 0xFF) == tag && keyAt(slot) == key) {
                return slot;
            }
            matches &= matches - 1;
        }
        return -1;
    }

    // ---- writes --------------------------------------------------------------------------

    private void upsert(long key, float[] vector, long nowMillis, float alpha, Mode mode, long interactions) {
        checkOpen();
        long h = KeyHash.mix(key);
        long b1 = bucket1(h);
        long b2 = bucket2(h, b1);
        lockStripes(b1, b2);
        try {
            if (updateExisting(key, h, b1, b2, vector, nowMillis, alpha, mode, interactions)) {
                return;
            }
        } finally {
            unlockStripes(b1, b2);
        }
        structure.lock();
        try {
            checkOpen();
            lockStripes(b1, b2);
            try {
                // Another writer may have inserted the key between the two lock acquisitions.
                if (updateExisting(key, h, b1, b2, vector, nowMillis, alpha, mode, interactions)) {
                    return;
                }
                long slot = freeSlot(b1);
                if (slot < 0) {
                    slot = freeSlot(b2);
                }
                if (slot >= 0) {
                    occupy(slot, key, h, vector, nowMillis, alpha, mode, interactions);
                    return;
                }
            } finally {
                unlockStripes(b1, b2);
            }
            long freed = CuckooPath.makeRoom(this, b1, b2, MAX_SEARCH_BUCKETS);
            if (freed < 0) {
                throw new StoreFullException("vector store is full: " + size.get() + " entries in " + layout.slots()
                        + " slots (load " + String.format("%.3f", loadFactor()) + "); no free slot within "
                        + MAX_SEARCH_BUCKETS + " buckets of displacement search");
            }
            long bucket = freed / StoreLayout.SLOTS;
            lockStripes(bucket, bucket);
            try {
                occupy(freed, key, h, vector, nowMillis, alpha, mode, interactions);
            } finally {
                unlockStripes(bucket, bucket);
            }
        } finally {
            structure.unlock();
        }
    }

    /** Applies the write to an existing entry (caller holds the key's stripes); false when the key is absent. */
    private boolean updateExisting(long key, long h, long b1, long b2, float[] vector, long nowMillis, float alpha, Mode mode,
                                   long interactions) {
        long slot = find(key, h, b1, b2);
        if (slot < 0) {
            return false;
        }
        if (mode != Mode.CREATE) {
            writeValue(slot, vector, nowMillis, alpha, mode, false, interactions);
        }
        return true;
    }

    /** Fills a free slot (caller holds the structure lock and the slot's stripe). */
    private void occupy(long slot, long key, long h, float[] vector, long nowMillis, float alpha, Mode mode, long interactions) {
        long bucket = slot / StoreLayout.SLOTS;
        int stripe = stripe(bucket);
        versions.incrementAndGet(stripe);
        try {
            long base = layout.entryOffset(slot);
            entries.set(ValueLayout.JAVA_LONG, base + StoreLayout.KEY, key);
            entries.set(ValueLayout.JAVA_INT, base + StoreLayout.INTERACTIONS, 0);
            writeValue(slot, vector, nowMillis, alpha, mode, true, interactions);
            setTag(slot, tagOf(h));
            size.incrementAndGet();
        } finally {
            versions.incrementAndGet(stripe);
        }
    }

    /** Writes a value under the entry's sequence lock (caller holds the key's stripes). */
    private void writeValue(long slot, float[] vector, long nowMillis, float alpha, Mode mode, boolean fresh, long interactions) {
        long base = layout.entryOffset(slot);
        Scratch local = scratch.get();
        float[] value = vector;
        if (mode != Mode.PUT) {
            value = local.value;
            if (fresh) {
                java.util.Arrays.fill(value, 0f);
            } else if (mode == Mode.DRIFT) {
                float scale = entries.get(ValueLayout.JAVA_FLOAT, base + StoreLayout.SCALE);
                layout.type().decode(entries, base + StoreLayout.HEADER_BYTES, layout.dim(), scale, value, local.bytes);
            }
            if (mode == Mode.DRIFT) {
                mixAndNormalise(value, vector, alpha);
            }
        }
        int seq = (int) INT.get(entries, base + StoreLayout.SEQUENCE);
        INT.setOpaque(entries, base + StoreLayout.SEQUENCE, seq + 1);
        VarHandle.storeStoreFence();
        if (mode == Mode.PUT || mode == Mode.DRIFT || fresh) {
            float scale = layout.type().encode(value, layout.dim(), entries, base + StoreLayout.HEADER_BYTES, local.bytes);
            entries.set(ValueLayout.JAVA_FLOAT, base + StoreLayout.SCALE, scale);
        }
        int count = entries.get(ValueLayout.JAVA_INT, base + StoreLayout.INTERACTIONS);
        int updated = interactions >= 0 ? (int) Math.min(interactions, 0xFFFF_FFFFL) : (count == -1 ? -1 : count + 1);
        entries.set(ValueLayout.JAVA_INT, base + StoreLayout.INTERACTIONS, updated);
        entries.set(ValueLayout.JAVA_INT, base + StoreLayout.LAST_UPDATE, (int) StoreClock.toStoreSeconds(nowMillis));
        INT.setRelease(entries, base + StoreLayout.SEQUENCE, seq + 2);
    }

    /** {@code u <- normalise((1 - alpha) u + alpha v)}; a zero result stays zero. */
    static void mixAndNormalise(float[] u, float[] v, float alpha) {
        float keep = 1f - alpha;
        for (int k = 0; k < u.length; k++) {
            u[k] = keep * u[k] + alpha * v[k];
        }
        Vectors.normalise(u);
    }

    /** Moves the entry at {@code from} into the free slot {@code to} (caller holds the structure lock). */
    void move(long from, long to) {
        long fromBucket = from / StoreLayout.SLOTS;
        long toBucket = to / StoreLayout.SLOTS;
        lockStripes(fromBucket, toBucket);
        int s1 = stripe(fromBucket);
        int s2 = stripe(toBucket);
        versions.incrementAndGet(s1);
        if (s2 != s1) {
            versions.incrementAndGet(s2);
        }
        try {
            MemorySegment.copy(entries, layout.entryOffset(from), entries, layout.entryOffset(to), layout.entryBytes());
            setTag(to, tagAt(from));
            setTag(from, 0);
        } finally {
            versions.incrementAndGet(s1);
            if (s2 != s1) {
                versions.incrementAndGet(s2);
            }
            unlockStripes(fromBucket, toBucket);
        }
    }

    private void clearSlot(long slot) {
        int stripe = stripe(slot / StoreLayout.SLOTS);
        versions.incrementAndGet(stripe);
        try {
            setTag(slot, 0);
            size.decrementAndGet();
        } finally {
            versions.incrementAndGet(stripe);
        }
    }

    // ---- slot and bucket helpers (package-private for CuckooPath and snapshots) -----------

    long freeSlot(long bucket) {
        long word = tags.get(ValueLayout.JAVA_LONG, bucket * Long.BYTES);
        for (int s = 0; s < StoreLayout.SLOTS; s++) {
            if (((word >>> (s * 8)) & 0xFF) == 0) {
                return bucket * StoreLayout.SLOTS + s;
            }
        }
        return -1;
    }

    int tagAt(long slot) {
        return tags.get(ValueLayout.JAVA_BYTE, slot) & 0xFF;
    }

    long keyAt(long slot) {
        return entries.get(ValueLayout.JAVA_LONG, layout.entryOffset(slot) + StoreLayout.KEY);
    }

    /** The candidate bucket of the key in {@code slot} other than {@code bucket}. */
    long alternateBucket(long slot, long bucket) {
        long h = KeyHash.mix(keyAt(slot));
        long b1 = bucket1(h);
        return b1 == bucket ? bucket2(h, b1) : b1;
    }

    long buckets() {
        return layout.buckets();
    }

    /** Locks every stripe in order (snapshots); pair with {@link #unlockAll()}. */
    void lockAll() {
        structure.lock();
        for (ReentrantLock lock : stripeLocks) {
            lock.lock();
        }
    }

    void unlockAll() {
        for (int i = STRIPES - 1; i >= 0; i--) {
            stripeLocks[i].unlock();
        }
        structure.unlock();
    }

    void restoredSize(long entries) {
        size.set(entries);
    }

    private void setTag(long slot, int tag) {
        tags.set(ValueLayout.JAVA_BYTE, slot, (byte) tag);
    }

    private long bucket1(long h) {
        return Math.unsignedMultiplyHigh(h, layout.buckets());
    }

    private long bucket2(long h, long b1) {
        long b2 = Math.unsignedMultiplyHigh(KeyHash.mix(h ^ 0x9E3779B97F4A7C15L), layout.buckets());
        return b2 != b1 ? b2 : (b1 + 1) % layout.buckets();
    }

    private static int tagOf(long h) {
        int tag = (int) (h >>> 56);
        return tag == 0 ? 1 : tag;
    }

    private static int stripe(long bucket) {
        return (int) (bucket & (STRIPES - 1));
    }

    private void lockStripes(long b1, long b2) {
        int s1 = stripe(b1);
        int s2 = stripe(b2);
        stripeLocks[Math.min(s1, s2)].lock();
        if (s1 != s2) {
            stripeLocks[Math.max(s1, s2)].lock();
        }
    }

    private void unlockStripes(long b1, long b2) {
        int s1 = stripe(b1);
        int s2 = stripe(b2);
        if (s1 != s2) {
            stripeLocks[Math.max(s1, s2)].unlock();
        }
        stripeLocks[Math.min(s1, s2)].unlock();
    }

    private void checkVector(float[] vector) {
        if (vector.length < layout.dim()) {
            throw new IllegalArgumentException("vector has " + vector.length + " elements, the store's dim is " + layout.dim());
        }
    }

    /** Per-thread buffers of the encode/decode paths. Not shared. */
    private static final class Scratch {
        final float[] value;
        final float[] meta;
        final byte[] bytes;

        Scratch(int dim) {
            value = new float[dim];
            meta = new float[dim];
            bytes = new byte[dim];
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("vector store is closed");
        }
    }
}

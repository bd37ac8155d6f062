package dev.feedserver.embeddings.store;

/**
 * Byte layout of a {@link CuckooVectorStore}, computed once from its configuration.
 *
 * <pre>
 * tags:    buckets x 8 bytes     one tag byte per slot, 0 = empty (one 64-bit word per bucket)
 * entries: buckets x 8 x entryBytes, slot s of bucket b at ((b * 8) + s) * entryBytes:
 *   +0  int64 key             the entry's key (next to its value: a hit costs one more line, not a miss)
 *   +8  int32 sequence        even = stable, odd = a writer is inside (sequence lock)
 *   +12 int32 interactions    updates applied (saturating)
 *   +16 int32 lastUpdate      seconds since 2020-01-01T00:00Z (0 = never)
 *   +20 float scale           per-vector scale of INT8 / FP8 storage, 1 otherwise
 *   +24 dim x elementBytes    the vector, then padding to a multiple of 8
 * </pre>
 * A lookup reads one tag word per candidate bucket and, on a tag match, one entry: two cache
 * misses for a hit in the first bucket.
 * Immutable and thread-safe.
 */
public record StoreLayout(int dim, StorageType type, long buckets, long entryBytes) {
    public static final int SLOTS = 8;
    public static final long HEADER_BYTES = 24;
    public static final long KEY = 0;
    public static final long SEQUENCE = 8;
    public static final long INTERACTIONS = 12;
    public static final long LAST_UPDATE = 16;
    public static final long SCALE = 20;
    /** Epoch of the 32-bit last-update field: 2020-01-01T00:00:00Z, in epoch milliseconds. */
    public static final long TIME_BASE_MILLIS = 1_577_836_800_000L;
    /** Slots are sized for this load; displacement keeps finding room well beyond it. */
    static final double SIZING_LOAD = 0.92;

    /** Validates and sizes a table for {@code capacity} entries. */
    public static StoreLayout of(int dim, StorageType type, long capacity) {
        if (dim < 1 || dim > 8_192) {
            throw new IllegalArgumentException("dim must be in [1, 8192], got " + dim);
        }
        if (capacity < 1 || capacity > 1L << 32) {
            throw new IllegalArgumentException("capacity must be in [1, 2^32], got " + capacity);
        }
        long buckets = Math.max(2, (long) Math.ceil(capacity / (SLOTS * SIZING_LOAD)));
        long entry = (HEADER_BYTES + (long) dim * type.elementBytes() + 7) / 8 * 8;
        return new StoreLayout(dim, type, buckets, entry);
    }

    public long slots() {
        return buckets * SLOTS;
    }

    public long tagBytes() {
        return buckets * Long.BYTES;
    }

    public long entryRegionBytes() {
        return slots() * entryBytes;
    }

    /** Total off-heap bytes of the table. */
    public long totalBytes() {
        return tagBytes() + entryRegionBytes();
    }

    long entryOffset(long slot) {
        return slot * entryBytes;
    }
}

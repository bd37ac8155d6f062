package dev.feedserver.embeddings;

/**
 * Offsets and sizes of one {@link VectorTable} chunk, computed once per table.
 *
 * <p>A chunk holds {@code rowsPerChunk} rows in two off-heap segments:
 * <pre>
 * vectors:  row r at byte r * rowBytes, {@code dim} little-endian float32, rows 64-byte aligned
 * metadata: row r at byte r * 32:
 *   +0  int64 sequence   even = stable, odd = a writer is inside (sequence lock)
 *   +8  int64 interactions  number of updates applied to the row
 *   +16 int64 lastUpdateMillis  wall-clock time of the last update, 0 = never
 *   +24 int64 reserved
 * </pre>
 * Immutable and thread-safe.
 */
public record VectorTableLayout(int dim, int rowsPerChunk, long rowBytes) {
    public static final long METADATA_BYTES = 32;
    public static final long SEQUENCE_OFFSET = 0;
    public static final long INTERACTIONS_OFFSET = 8;
    public static final long LAST_UPDATE_OFFSET = 16;
    public static final long ALIGNMENT = 64;

    /** Validates the dimensions and derives the padded row size. */
    public static VectorTableLayout of(int dim, int rowsPerChunk) {
        if (dim <= 0 || dim > 65_536) {
            throw new IllegalArgumentException("dim must be in [1, 65536], got " + dim);
        }
        if (rowsPerChunk <= 0 || Integer.bitCount(rowsPerChunk) != 1) {
            throw new IllegalArgumentException("rowsPerChunk must be a power of two, got " + rowsPerChunk);
        }
        long raw = (long) dim * Float.BYTES;
        long padded = (raw + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return new VectorTableLayout(dim, rowsPerChunk, padded);
    }

    /** Row stride in float elements, as the native batch kernels take it. */
    public long rowStrideFloats() {
        return rowBytes / Float.BYTES;
    }

    public long vectorChunkBytes() {
        return rowBytes * rowsPerChunk;
    }

    public long metadataChunkBytes() {
        return METADATA_BYTES * rowsPerChunk;
    }
}

package dev.feedserver.embeddings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Int8 rows with one float scale each ({@code value ~= code * scale}), by dense row number, in
 * off-heap chunks that a native batched kernel scans in place: one
 * {@code VectorKernels.dotS8Batch} per chunk scores every row of it. {@link HeapCodes} holds the
 * same kind of rows on the heap for gathers by row; this one is for whole-table scans.
 *
 * <p>Layout: chunk {@code c} holds rows {@code [c * rowsPerChunk, (c + 1) * rowsPerChunk)}, row
 * {@code r} at byte {@code (r % rowsPerChunk) * rowStride}, {@code rowStride} the width rounded
 * up to 64 bytes (the padding stays zero). Chunks are never moved or freed before
 * {@link #close}, so growth copies nothing and a scan never meets a stale chunk. Rows never
 * written are zero codes with scale 0.
 *
 * <p>Threading: any number of readers and scans; writes and growth are serialised on the table.
 * A scan racing the rewrite of a row may read that row part old, part new (it perturbs one
 * score once), so use it only for rows whose versions are all valid approximations.
 * Lifecycle: owns a shared {@link Arena}; {@link #close} frees every chunk, is idempotent, and
 * must only be called once no thread reads the table (later calls fail with
 * {@link IllegalStateException}).
 */
public final class OffHeapCodes implements AutoCloseable {
    private static final long ALIGNMENT = 64;

    private final int width;
    private final int rowsPerChunk;
    private final long rowStride;
    private final Arena arena = Arena.ofShared();
    private volatile MemorySegment[] chunks = new MemorySegment[0];
    private volatile float[][] scales = new float[0][];
    private volatile int rows;
    private boolean closed;

    /** Rows of {@code width} codes ({@code >= 1}) in chunks of {@code rowsPerChunk} rows (a power of two). */
    public OffHeapCodes(int width, int rowsPerChunk) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        if (rowsPerChunk < 1 || Integer.bitCount(rowsPerChunk) != 1) {
            throw new IllegalArgumentException("rowsPerChunk must be a power of two, got " + rowsPerChunk);
        }
        this.width = width;
        this.rowsPerChunk = rowsPerChunk;
        this.rowStride = (width + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    public int width() {
        return width;
    }

    /** Bytes from one row's codes to the next inside a chunk (the scan's row stride). */
    public long rowStride() {
        return rowStride;
    }

    public int rowsPerChunk() {
        return rowsPerChunk;
    }

    /** Rows addressable so far (written or not). */
    public int rows() {
        return rows;
    }

    /** Makes rows {@code [0, count)} addressable. */
    public synchronized void ensureRows(int count) {
        if (closed) {
            throw new IllegalStateException("code table is closed");
        }
        if (count <= rows) {
            return;
        }
        int needed = (int) (((long) count + rowsPerChunk - 1) / rowsPerChunk);
        if (needed > chunks.length) {
            MemorySegment[] grownChunks = Arrays.copyOf(chunks, needed);
            float[][] grownScales = Arrays.copyOf(scales, needed);
            for (int c = chunks.length; c < needed; c++) {
                grownChunks[c] = arena.allocate(rowStride * rowsPerChunk, ALIGNMENT);
                grownScales[c] = new float[rowsPerChunk];
            }
            // Scales first: a reader that finds a chunk finds its scales too.
            scales = grownScales;
            chunks = grownChunks;
        }
        rows = count;
    }

    /** Writes row {@code row}: {@link #width()} codes from {@code src} at byte {@code srcOffset}, and its scale; grows as needed. */
    public synchronized void write(int row, MemorySegment src, long srcOffset, float scale) {
        if (row < 0) {
            throw new IndexOutOfBoundsException("negative row " + row);
        }
        ensureRows(row + 1);
        MemorySegment.copy(src, srcOffset, chunks[row / rowsPerChunk], (long) (row % rowsPerChunk) * rowStride, width);
        scales[row / rowsPerChunk][row % rowsPerChunk] = scale;
    }

    /** Scale of row {@code row} (0 for a row never written or not addressable). */
    public float scale(int row) {
        float[][] all = scales;
        int c = row / rowsPerChunk;
        return row < 0 || c >= all.length ? 0f : all[c][row % rowsPerChunk];
    }

    /**
     * Copies row {@code row}'s codes into {@code dst} at byte {@code dstOffset} and returns its
     * scale (zero codes and scale 0 for a row never addressed): the gather of candidate rows for
     * a batched int8 GEMM. No lock: a read racing a rewrite of the same row may mix the two.
     */
    public float copyRowTo(int row, MemorySegment dst, long dstOffset) {
        MemorySegment[] all = chunks;
        int c = row / rowsPerChunk;
        if (row < 0 || c >= all.length) {
            dst.asSlice(dstOffset, width).fill((byte) 0);
            return 0f;
        }
        MemorySegment.copy(all[c], (long) (row % rowsPerChunk) * rowStride, dst, dstOffset, width);
        return scales[c][row % rowsPerChunk];
    }

    /** Copies the scales of chunk {@code chunk}'s rows into {@code dst[0..rowsPerChunk)} (one copy per scanned chunk, not a read per row). */
    public void copyChunkScales(int chunk, float[] dst) {
        System.arraycopy(scales[chunk], 0, dst, 0, rowsPerChunk);
    }

    /** Number of chunks holding the first {@code rowsSnapshot} rows. */
    public int chunkCount(int rowsSnapshot) {
        return (int) (((long) rowsSnapshot + rowsPerChunk - 1) / rowsPerChunk);
    }

    /** Raw codes of chunk {@code chunk} for a native scan; rows are {@link #rowStride()} bytes apart. */
    public MemorySegment chunk(int chunk) {
        return chunks[chunk];
    }

    /** How many of chunk {@code chunk}'s rows lie below {@code rowsSnapshot}. */
    public int rowsInChunk(int chunk, int rowsSnapshot) {
        long start = (long) chunk * rowsPerChunk;
        return (int) Math.max(0, Math.min(rowsPerChunk, rowsSnapshot - start));
    }

    /** Off-heap bytes held. */
    public long bytes() {
        return (long) chunks.length * rowsPerChunk * rowStride;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}

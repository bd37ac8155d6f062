package dev.feedserver.embeddings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Int8 rows with one float scale each ({@code value ~= code * scale}), by dense row number in
 * chunked heap arrays: the compact copy of per-item vectors that a request gathers by the
 * thousand for an int8 GEMM (a quarter of the float bytes, so a quarter of the cache misses).
 * Same concurrency contract as {@link HeapRows}: plain copies, a read racing a rewrite of the
 * same row may mix the two versions; rows never written read as zero codes with scale 0.
 *
 * <p>Threading: any number of readers and writers; growth is serialised. Lifecycle: heap only.
 */
public final class HeapCodes {
    private static final int ROWS_PER_CHUNK = 4_096;

    private final int width;
    private volatile byte[][] codes = new byte[0][];
    private volatile float[][] scales = new float[0][];

    /** Rows of {@code width} codes, {@code width >= 1}. */
    public HeapCodes(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        this.width = width;
    }

    public int width() {
        return width;
    }

    /** Makes rows {@code [0, rows)} addressable. */
    public synchronized void ensureRows(int rows) {
        int needed = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        if (needed > codes.length) {
            byte[][] grownCodes = Arrays.copyOf(codes, needed);
            float[][] grownScales = Arrays.copyOf(scales, needed);
            for (int c = codes.length; c < needed; c++) {
                grownCodes[c] = new byte[ROWS_PER_CHUNK * width];
                grownScales[c] = new float[ROWS_PER_CHUNK];
            }
            // Scales first: a reader that sees the new codes array finds its scales too.
            scales = grownScales;
            codes = grownCodes;
        }
    }

    /** Writes row {@code row}: {@code width} codes from {@code src} at byte {@code srcOffset}, and its scale. */
    public void write(int row, MemorySegment src, long srcOffset, float scale) {
        if (row >= codes.length * ROWS_PER_CHUNK) {
            ensureRows(row + 1);
        }
        int c = row / ROWS_PER_CHUNK;
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcOffset, codes[c], (row % ROWS_PER_CHUNK) * width, width);
        scales[c][row % ROWS_PER_CHUNK] = scale;
    }

    /** Copies row {@code row}'s codes into {@code dst} at byte {@code dstOffset} and returns its scale (0 for a row never written). */
    public float copyRowTo(int row, MemorySegment dst, long dstOffset) {
        byte[][] all = codes;
        int c = row / ROWS_PER_CHUNK;
        if (row < 0 || c >= all.length) {
            dst.asSlice(dstOffset, width).fill((byte) 0);
            return 0f;
        }
        MemorySegment.copy(all[c], (row % ROWS_PER_CHUNK) * width, dst, ValueLayout.JAVA_BYTE, dstOffset, width);
        return scales[c][row % ROWS_PER_CHUNK];
    }
}

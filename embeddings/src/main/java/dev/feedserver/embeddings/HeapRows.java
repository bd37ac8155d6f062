package dev.feedserver.embeddings;

import java.util.Arrays;

/**
 * Float rows by dense row number in chunked heap arrays, for derived per-item data that is
 * written rarely and read by row on the request path (content embeddings, which the request
 * features read for the user's recent items). Reads are plain array copies: no lock, no
 * sequence check, no off-heap session check.
 *
 * <p>The price: a reader racing a writer of the same row may see part old, part new values.
 * Use it only where both versions are valid approximations of the row (a recomputed derived
 * value of the same item), never for data whose halves must match. Rows never written read as
 * zeros.
 *
 * <p>Threading: any number of readers and writers; growth is serialised and publishes new
 * chunks through a volatile array. Lifecycle: heap only.
 */
public final class HeapRows {
    private static final int ROWS_PER_CHUNK = 4_096;

    private final int width;
    private volatile float[][] chunks = new float[0][];

    /** Rows of {@code width} floats, {@code width >= 1}. */
    public HeapRows(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        this.width = width;
    }

    public int width() {
        return width;
    }

    /** Rows that can be addressed (a multiple of the chunk size). */
    public int capacity() {
        return chunks.length * ROWS_PER_CHUNK;
    }

    /** Makes rows {@code [0, rows)} addressable. */
    public synchronized void ensureRows(int rows) {
        int needed = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        if (needed > chunks.length) {
            float[][] grown = Arrays.copyOf(chunks, needed);
            for (int c = chunks.length; c < needed; c++) {
                grown[c] = new float[ROWS_PER_CHUNK * width];
            }
            chunks = grown;
        }
    }

    /** Writes row {@code row} from {@code src[0..width)}, growing as needed. */
    public void write(int row, float[] src) {
        if (row >= capacity()) {
            ensureRows(row + 1);
        }
        System.arraycopy(src, 0, chunks[row / ROWS_PER_CHUNK], (row % ROWS_PER_CHUNK) * width, width);
    }

    /** Copies row {@code row} into {@code dst[offset..offset+width)} (zeros for a row never addressed). */
    public void read(int row, float[] dst, int offset) {
        float[][] all = chunks;
        int c = row / ROWS_PER_CHUNK;
        if (row < 0 || c >= all.length) {
            Arrays.fill(dst, offset, offset + width, 0f);
            return;
        }
        System.arraycopy(all[c], (row % ROWS_PER_CHUNK) * width, dst, offset, width);
    }

    /** Heap bytes held. */
    public long bytes() {
        return (long) capacity() * width * Float.BYTES;
    }
}

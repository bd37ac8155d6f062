package dev.feedserver.embeddings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Off-heap table of fixed-dimension float32 vectors addressed by dense row number, with
 * per-row metadata (sequence, interaction count, last update). Layout: {@link VectorTableLayout}.
 *
 * <p>Threading: any number of readers and writers. Writers to rows in the same stripe are
 * serialised by a stripe lock; readers never lock: {@link #read} is an optimistic sequence-lock
 * read that retries until it sees an untorn vector. {@link #chunkVectors} exposes raw memory for
 * batched native scans, which may observe a row mid-update (a scan scores, it never copies out).
 *
 * <p>Lifecycle: owns a shared {@link Arena}; {@link #close()} frees all chunks, is idempotent,
 * and must only be called once no other thread uses the table (later calls fail with
 * {@link IllegalStateException} from the closed arena).
 */
public final class VectorTable implements AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int STRIPES = 256;

    private final VectorTableLayout layout;
    private final Arena arena = Arena.ofShared();
    private final Object[] stripes = new Object[STRIPES];
    private volatile MemorySegment[] vectorChunks = new MemorySegment[0];
    private volatile MemorySegment[] metadataChunks = new MemorySegment[0];
    private volatile int rows;
    private volatile boolean closed;

    public VectorTable(int dim, int rowsPerChunk) {
        this.layout = VectorTableLayout.of(dim, rowsPerChunk);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    public VectorTableLayout layout() {
        return layout;
    }

    public int dim() {
        return layout.dim();
    }

    /** Number of rows allocated so far. */
    public int rows() {
        return rows;
    }

    /** Makes rows {@code [0, count)} exist (new rows are zero vectors with zero metadata). */
    public synchronized void ensureRows(int count) {
        if (closed) {
            throw new IllegalStateException("vector table is closed");
        }
        if (count <= rows) {
            return;
        }
        int chunksNeeded = (int) (((long) count + layout.rowsPerChunk() - 1) / layout.rowsPerChunk());
        if (chunksNeeded > vectorChunks.length) {
            MemorySegment[] vectors = Arrays.copyOf(vectorChunks, chunksNeeded);
            MemorySegment[] metadata = Arrays.copyOf(metadataChunks, chunksNeeded);
            for (int c = vectorChunks.length; c < chunksNeeded; c++) {
                vectors[c] = arena.allocate(layout.vectorChunkBytes(), VectorTableLayout.ALIGNMENT);
                metadata[c] = arena.allocate(layout.metadataChunkBytes(), VectorTableLayout.ALIGNMENT);
            }
            metadataChunks = metadata;
            vectorChunks = vectors;
        }
        rows = count;
    }

    /** Copies row {@code row} into {@code dst} (length >= dim) without ever returning a torn vector. */
    public void read(int row, float[] dst) {
        if (dst.length < layout.dim()) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, dim is " + layout.dim());
        }
        copyRowTo(row, MemorySegment.ofArray(dst), 0);
    }

    /**
     * Copies row {@code row} into {@code dst} at byte {@code dstOffset} (dim float32 values),
     * with the same untorn guarantee as {@link #read}; used to gather a batch for a native call.
     */
    public void copyRowTo(int row, MemorySegment dst, long dstOffset) {
        checkRow(row);
        MemorySegment meta = metadataChunks[chunkOf(row)];
        MemorySegment vectors = vectorChunks[chunkOf(row)];
        long seqOffset = metaOffset(row) + VectorTableLayout.SEQUENCE_OFFSET;
        long bytes = (long) layout.dim() * Float.BYTES;
        while (true) {
            long before = (long) LONG.getAcquire(meta, seqOffset);
            if ((before & 1) == 0) {
                MemorySegment.copy(vectors, vecOffset(row), dst, dstOffset, bytes);
                VarHandle.acquireFence();
                if (before == (long) LONG.getOpaque(meta, seqOffset)) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Copies rows {@code rows[0..n)} back to back into {@code dst} from byte {@code dstOffset}
     * (dim float32 each) without the per-row sequence check: like the batched native scans, a
     * row caught mid-update may be torn, which perturbs one candidate's score for one request.
     * The ranker's gather of a few thousand candidate vectors per request uses it.
     */
    public void gatherRows(int[] rows, int n, MemorySegment dst, long dstOffset) {
        long bytes = (long) layout.dim() * Float.BYTES;
        MemorySegment[] chunks = vectorChunks;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            checkRow(row);
            MemorySegment.copy(chunks[chunkOf(row)], vecOffset(row), dst, dstOffset + i * bytes, bytes);
        }
    }

    /** Overwrites row {@code row} with {@code src}; does not count as an interaction. */
    public void write(int row, float[] src) {
        checkRow(row);
        synchronized (stripeOf(row)) {
            long seq = beginWrite(row);
            MemorySegment.copy(src, 0, vectorChunks[chunkOf(row)], ValueLayout.JAVA_FLOAT, vecOffset(row), layout.dim());
            endWrite(row, seq);
        }
    }

    /** Counts one interaction without moving the vector (e.g. a view, or an item's popularity). */
    public void recordInteraction(int row, long nowMillis) {
        checkRow(row);
        synchronized (stripeOf(row)) {
            long seq = beginWrite(row);
            bumpInteraction(row, nowMillis);
            endWrite(row, seq);
        }
    }

    /** Sets the interaction count directly (bulk loading from history). */
    public void setInteractions(int row, long count, long lastUpdateMillis) {
        checkRow(row);
        synchronized (stripeOf(row)) {
            long seq = beginWrite(row);
            MemorySegment meta = metadataChunks[chunkOf(row)];
            long off = metaOffset(row);
            meta.set(ValueLayout.JAVA_LONG, off + VectorTableLayout.INTERACTIONS_OFFSET, count);
            meta.set(ValueLayout.JAVA_LONG, off + VectorTableLayout.LAST_UPDATE_OFFSET, lastUpdateMillis);
            endWrite(row, seq);
        }
    }

    public long interactions(int row) {
        checkRow(row);
        return (long) LONG.getOpaque(metadataChunks[chunkOf(row)], metaOffset(row) + VectorTableLayout.INTERACTIONS_OFFSET);
    }

    public long lastUpdateMillis(int row) {
        checkRow(row);
        return (long) LONG.getOpaque(metadataChunks[chunkOf(row)], metaOffset(row) + VectorTableLayout.LAST_UPDATE_OFFSET);
    }

    /** Number of chunks that hold rows. */
    public int chunkCount() {
        return (int) (((long) rows + layout.rowsPerChunk() - 1) / layout.rowsPerChunk());
    }

    /** Raw vectors of chunk {@code chunk} for batched native scans; rows are {@link VectorTableLayout#rowBytes()} apart. */
    public MemorySegment chunkVectors(int chunk) {
        return vectorChunks[chunk];
    }

    /** How many rows of chunk {@code chunk} are in use, given {@code rowsSnapshot} total rows. */
    public int rowsInChunk(int chunk, int rowsSnapshot) {
        long start = (long) chunk * layout.rowsPerChunk();
        return (int) Math.max(0, Math.min(layout.rowsPerChunk(), rowsSnapshot - start));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private long beginWrite(int row) {
        MemorySegment meta = metadataChunks[chunkOf(row)];
        long off = metaOffset(row) + VectorTableLayout.SEQUENCE_OFFSET;
        long seq = (long) LONG.get(meta, off);
        LONG.setOpaque(meta, off, seq + 1);
        VarHandle.storeStoreFence();
        return seq;
    }

    private void endWrite(int row, long seq) {
        LONG.setRelease(metadataChunks[chunkOf(row)], metaOffset(row) + VectorTableLayout.SEQUENCE_OFFSET, seq + 2);
    }

    private void bumpInteraction(int row, long nowMillis) {
        MemorySegment meta = metadataChunks[chunkOf(row)];
        long off = metaOffset(row);
        long count = meta.get(ValueLayout.JAVA_LONG, off + VectorTableLayout.INTERACTIONS_OFFSET);
        meta.set(ValueLayout.JAVA_LONG, off + VectorTableLayout.INTERACTIONS_OFFSET, count + 1);
        meta.set(ValueLayout.JAVA_LONG, off + VectorTableLayout.LAST_UPDATE_OFFSET, nowMillis);
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ")");
        }
    }

    private Object stripeOf(int row) {
        return stripes[row & (STRIPES - 1)];
    }

    private int chunkOf(int row) {
        return row / layout.rowsPerChunk();
    }

    private long vecOffset(int row) {
        return (long) (row % layout.rowsPerChunk()) * layout.rowBytes();
    }

    private long metaOffset(int row) {
        return (long) (row % layout.rowsPerChunk()) * VectorTableLayout.METADATA_BYTES;
    }
}

package dev.feedserver.ranking.catalog;

import dev.feedserver.embeddings.HeapRows;
import dev.feedserver.embeddings.OffHeapCodes;
import dev.feedserver.nativelib.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.feedserver.ranking.content.TextEncoder;
import dev.feedserver.ranking.data.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Content embeddings of the catalogue's items, by item row: what the item's text (title, tags,
 * body) says, as a unit vector from a {@link TextEncoder}. Computed in batches when items
 * arrive (all of them at start-up, each new one on {@code PUT}), then read by the ranker's
 * content features and by the cold-start neighbour search ({@code retrieval.ContentNeighbours}). An item
 * without an embedding (no encoder, or not embedded yet) reads as zeros, which the ranker treats
 * as "no content signal".
 *
 * <p>Each embedding is kept twice: floats on the heap (request features read them by row) and
 * per-row int8 codes off-heap in 16,384-row chunks ({@link OffHeapCodes}), which the ranker
 * gathers by row for its similarity GEMM and the neighbour search scans whole, one native call
 * per chunk.
 *
 * <p>Threading: reads are lock-free plain copies ({@link HeapRows}); {@link #embed} and
 * {@link #store} may run concurrently with reads and scans. A read racing the re-embedding of
 * the same item (its text changed) may mix the two embeddings for that one read, which only
 * blurs one similarity once.
 * Lifecycle: {@link #close} frees the off-heap codes (call it once nothing reads them; the
 * {@code FeedModel} owning it does); the encoder belongs to whoever opened it.
 */
public final class ItemContent implements AutoCloseable {
    /** Texts per encoder call when embedding many items. */
    public static final int BATCH = 64;
    /** Rows per off-heap code chunk: one native scan call covers this many items. */
    private static final int SCAN_CHUNK_ROWS = 16_384;

    private final TextEncoder encoder;
    private final HeapRows table;
    /** The same embeddings as per-row int8 codes, off-heap in chunks: gathered by row for the
     * ranker's similarity GEMM, scanned whole for the cold-start neighbour search. */
    private final OffHeapCodes scanCodes;

    /** Embeddings from {@code encoder}; null for a catalogue without content embeddings (width 0). */
    public ItemContent(TextEncoder encoder) {
        this.encoder = encoder;
        this.table = encoder == null ? null : new HeapRows(encoder.dimension());
        this.scanCodes = encoder == null ? null : new OffHeapCodes(encoder.dimension(), SCAN_CHUNK_ROWS);
    }

    /** Width of every embedding; 0 without an encoder. */
    public int dimension() {
        return encoder == null ? 0 : encoder.dimension();
    }

    /** The encoder's name, or {@code none}. */
    public String encoderName() {
        return encoder == null ? "none" : encoder.name();
    }

    /** The text an item is embedded from: its title, tags and body. */
    public static String textOf(Item item) {
        StringBuilder text = new StringBuilder(item.title());
        if (!item.tags().isEmpty()) {
            text.append(". ").append(String.join(", ", item.tags()));
        }
        if (!item.text().isEmpty()) {
            text.append(". ").append(item.text());
        }
        return text.toString();
    }

    /**
     * Embeds the items at {@code rows} (looked up in {@code catalog}) in batches of {@link #BATCH};
     * {@code progress} receives the number embedded so far. A no-op without an encoder.
     */
    public void embed(ItemCatalog catalog, int[] rows, IntConsumer progress) {
        if (encoder == null || rows.length == 0) {
            return;
        }
        int max = 0;
        for (int row : rows) {
            max = Math.max(max, row + 1);
        }
        table.ensureRows(max);
        scanCodes.ensureRows(max);
        List<String> texts = new ArrayList<>(BATCH);
        try (Arena arena = Arena.ofConfined()) {
            Scratch scratch = new Scratch(arena, Math.min(BATCH, rows.length), dimension());
            for (int start = 0; start < rows.length; start += BATCH) {
                int end = Math.min(rows.length, start + BATCH);
                texts.clear();
                for (int i = start; i < end; i++) {
                    texts.add(textOf(catalog.item(rows[i])));
                }
                store(rows, start, encoder.encode(texts), scratch);
                progress.accept(end);
            }
        }
    }

    /**
     * The embedding of {@code item}'s text (one encoder call), not stored anywhere: what a new
     * item's cold-start vector is chosen from before the item is published. Null without an
     * encoder.
     */
    public float[] encode(Item item) {
        return encoder == null ? null : encoder.encode(List.of(textOf(item)))[0];
    }

    /** Stores {@code embedding} (from {@link #encode}) as item {@code row}'s; a no-op without an encoder. */
    public void store(int row, float[] embedding) {
        if (encoder == null) {
            return;
        }
        if (embedding.length != dimension()) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " floats, the encoder's width is " + dimension());
        }
        try (Arena arena = Arena.ofConfined()) {
            store(new int[] {row}, 0, new float[][] {embedding}, new Scratch(arena, 1, dimension()));
        }
    }

    /** Quantizes {@code vectors} (for rows {@code rows[start..]}) in one call and writes all three copies. */
    private void store(int[] rows, int start, float[][] vectors, Scratch scratch) {
        int dim = dimension();
        int n = vectors.length;
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(vectors[i], 0, scratch.floats, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
        Quantizer.get().quantizeS8Rows(scratch.floats, n, dim, dim, scratch.scales, scratch.quantized);
        for (int i = 0; i < n; i++) {
            int row = rows[start + i];
            float scale = scratch.scales.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            table.write(row, vectors[i]);
            scanCodes.write(row, scratch.quantized, (long) i * dim, scale);
        }
    }

    /** Off-heap buffers for quantizing up to {@code rows} embeddings at once. */
    private record Scratch(MemorySegment floats, MemorySegment quantized, MemorySegment scales) {
        Scratch(Arena arena, int rows, int dim) {
            this(arena.allocate((long) rows * dim * Float.BYTES, 64), arena.allocate((long) rows * dim, 64),
                    arena.allocate((long) rows * Float.BYTES, 64));
        }
    }

    /**
     * The int8 codes of every embedded item in off-heap chunks, for whole-catalogue native scans
     * ({@code retrieval.ContentNeighbours}); null without an encoder. Read-only use: the rows
     * are written through {@link #embed} and {@link #store}.
     */
    public OffHeapCodes scanCodes() {
        return scanCodes;
    }

    /** Reads item {@code row}'s embedding into {@code dst} (zeros when it has none). */
    public void read(int row, float[] dst, int offset) {
        int dim = dimension();
        if (dim == 0) {
            return;
        }
        table.read(row, dst, offset);
    }

    /**
     * Copies item {@code row}'s int8 codes ({@link #dimension()} bytes) into {@code dst} at byte
     * {@code dstOffset} and returns their scale (0 for an item without an embedding).
     */
    public float copyCodesTo(int row, MemorySegment dst, long dstOffset) {
        return scanCodes.copyRowTo(row, dst, dstOffset);
    }

    /** Off-heap bytes held (the scan copy of the codes). */
    public long offHeapBytes() {
        return scanCodes == null ? 0 : scanCodes.bytes();
    }

    /** Frees the off-heap codes; idempotent. The encoder belongs to whoever opened it. */
    @Override
    public void close() {
        if (scanCodes != null) {
            scanCodes.close();
        }
    }
}

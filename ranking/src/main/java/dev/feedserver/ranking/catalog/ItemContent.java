package dev.feedserver.ranking.catalog;

import dev.feedserver.embeddings.HeapCodes;
import dev.feedserver.embeddings.HeapRows;
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
 * content features. An item without an embedding (no encoder, or not embedded yet) reads as
 * zeros, which the ranker treats as "no content signal".
 *
 * <p>Threading: reads are lock-free plain copies ({@link HeapRows}); {@link #embed} may run
 * concurrently with reads. A read racing the re-embedding of the same item (its text changed)
 * may mix the two embeddings for that one read, which only blurs one similarity feature once.
 * Lifecycle: heap only; {@link #close} releases the encoder's hold, not the encoder.
 */
public final class ItemContent implements AutoCloseable {
    /** Texts per encoder call when embedding many items. */
    public static final int BATCH = 64;

    private final TextEncoder encoder;
    private final HeapRows table;
    /** The same embeddings as per-row int8 codes, for the ranker's batched similarity GEMM. */
    private final HeapCodes codes;

    /** Embeddings from {@code encoder}; null for a catalogue without content embeddings (width 0). */
    public ItemContent(TextEncoder encoder) {
        this.encoder = encoder;
        this.table = encoder == null ? null : new HeapRows(encoder.dimension());
        this.codes = encoder == null ? null : new HeapCodes(encoder.dimension());
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
        codes.ensureRows(max);
        int dim = dimension();
        List<String> texts = new ArrayList<>(BATCH);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment floats = arena.allocate((long) BATCH * dim * Float.BYTES, 64);
            MemorySegment quantized = arena.allocate((long) BATCH * dim, 64);
            MemorySegment scales = arena.allocate((long) BATCH * Float.BYTES, 64);
            for (int start = 0; start < rows.length; start += BATCH) {
                int end = Math.min(rows.length, start + BATCH);
                texts.clear();
                for (int i = start; i < end; i++) {
                    texts.add(textOf(catalog.item(rows[i])));
                }
                float[][] vectors = encoder.encode(texts);
                for (int i = start; i < end; i++) {
                    MemorySegment.copy(vectors[i - start], 0, floats, ValueLayout.JAVA_FLOAT, (long) (i - start) * dim * Float.BYTES, dim);
                }
                Quantizer.get().quantizeS8Rows(floats, end - start, dim, dim, scales, quantized);
                for (int i = start; i < end; i++) {
                    table.write(rows[i], vectors[i - start]);
                    codes.write(rows[i], quantized, (long) (i - start) * dim, scales.getAtIndex(ValueLayout.JAVA_FLOAT, i - start));
                }
                progress.accept(end);
            }
        }
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
        return codes.copyRowTo(row, dst, dstOffset);
    }

    /**
     * Copies item {@code row}'s embedding into {@code dst} at byte {@code dstOffset} (zeros when
     * it has none): the gather for a batched native call, without a heap copy on the way.
     */
    public void copyRowTo(int row, MemorySegment dst, long dstOffset) {
        int dim = dimension();
        if (dim == 0) {
            return;
        }
        table.copyRowTo(row, dst, dstOffset);
    }

    @Override
    public void close() {
        // Heap only; the encoder belongs to whoever opened it.
    }
}

package dev.feedserver.ranking.catalog;

import dev.feedserver.embeddings.VectorTable;
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
 * <p>Threading: reads are lock-free (the table's optimistic row reads); {@link #embed} may run
 * concurrently with reads and with other embeds of different rows.
 * Lifecycle: owns an off-heap table; {@link #close} frees it; idempotent.
 */
public final class ItemContent implements AutoCloseable {
    /** Texts per encoder call when embedding many items. */
    public static final int BATCH = 64;

    private final TextEncoder encoder;
    private final VectorTable table;

    /** Embeddings from {@code encoder}; null for a catalogue without content embeddings (width 0). */
    public ItemContent(TextEncoder encoder) {
        this.encoder = encoder;
        this.table = encoder == null ? null : new VectorTable(encoder.dimension(), 16_384);
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
        List<String> texts = new ArrayList<>(BATCH);
        for (int start = 0; start < rows.length; start += BATCH) {
            int end = Math.min(rows.length, start + BATCH);
            texts.clear();
            for (int i = start; i < end; i++) {
                texts.add(textOf(catalog.item(rows[i])));
            }
            float[][] vectors = encoder.encode(texts);
            for (int i = start; i < end; i++) {
                table.write(rows[i], vectors[i - start]);
            }
            progress.accept(end);
        }
    }

    /** Reads item {@code row}'s embedding into {@code dst} (zeros when it has none). */
    public void read(int row, float[] dst, int offset) {
        int dim = dimension();
        if (dim == 0) {
            return;
        }
        if (row < 0 || row >= table.rows()) {
            java.util.Arrays.fill(dst, offset, offset + dim, 0f);
            return;
        }
        if (offset == 0 && dst.length == dim) {
            table.read(row, dst);
        } else {
            float[] tmp = SCRATCH.get();
            if (tmp.length != dim) {
                tmp = new float[dim];
                SCRATCH.set(tmp);
            }
            table.read(row, tmp);
            System.arraycopy(tmp, 0, dst, offset, dim);
        }
    }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void close() {
        if (table != null) {
            table.close();
        }
    }
}

package dev.feedserver.ranking.catalog;

import dev.feedserver.embeddings.ChunkedArray;
import dev.feedserver.embeddings.ConcurrentBitSet;
import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.embeddings.VectorTable;
import dev.feedserver.ranking.data.Item;

/**
 * The item catalogue: metadata by row, latent vectors in an off-heap {@link VectorTable}, and a
 * per-item interaction count (popularity) in that table's row metadata.
 *
 * <p>A removed item keeps its row (rows are never reused) but is flagged: {@link #rowOf} no longer
 * finds it and retrieval leaves it out ({@link #isRemoved}); putting the same id again revives
 * the row with the new metadata.
 *
 * <p>Threading: reads are lock-free from any thread; {@link #upsert} and {@link #remove} are
 * serialised. An item is visible to {@link #size()} (and so to retrieval) only once its vector
 * is written.
 * Lifecycle: {@link #close()} frees the vector table; idempotent.
 */
public final class ItemCatalog implements AutoCloseable {
    private final IdIndex ids = new IdIndex();
    private final ChunkedArray<Item> items = new ChunkedArray<>();
    private final VectorTable vectors;
    private final TagCentroids centroids;
    private final ConcurrentBitSet removed = new ConcurrentBitSet();

    public ItemCatalog(int dim) {
        this.vectors = new VectorTable(dim, 16_384);
        this.centroids = new TagCentroids(dim);
    }

    /**
     * Creates or replaces an item and returns its row. A new item takes {@code vector} when given
     * (learned factors), else a cold-start vector from its tags. A replaced item keeps its learned
     * vector unless a new one is given.
     */
    public synchronized int upsert(Item item, float[] vector) {
        int row = ids.rowOf(item.id());
        if (row >= 0) {
            if (vector != null) {
                vectors.write(row, vector);
            }
            items.set(row, item);
            removed.clear(row);
            return row;
        }
        float[] initial = vector != null ? vector : centroids.coldStartVector(item.tags());
        row = ids.getOrCreate(item.id());
        vectors.ensureRows(row + 1);
        vectors.write(row, initial);
        vectors.setInteractions(row, 0, item.createdAtMillis());
        if (vector != null) {
            centroids.add(item.tags(), vector);
        }
        items.append(item);
        return row;
    }

    /** Flags the item removed; returns its row, or -1 when there is no such (live) item. */
    public synchronized int remove(String id) {
        int row = rowOf(id);
        if (row >= 0) {
            removed.set(row);
        }
        return row;
    }

    /** True when the item in {@code row} was removed (retrieval must leave it out). */
    public boolean isRemoved(int row) {
        return removed.contains(row);
    }

    /** Number of removed rows. */
    public int removedCount() {
        return removed.cardinality();
    }

    /** Calls {@code action} with every removed row. */
    public void forEachRemoved(java.util.function.IntConsumer action) {
        removed.forEach(action);
    }

    /** Adds {@code vector} to the tag centroids without creating an item (used while bulk loading). */
    public void learnTagCentroid(Item item, float[] vector) {
        centroids.add(item.tags(), vector);
    }

    /** Row of {@code id}, or -1 when unknown or removed. */
    public int rowOf(String id) {
        int row = ids.rowOf(id);
        return row < items.size() && !removed.contains(row) ? row : -1;
    }

    public Item item(int row) {
        return items.get(row);
    }

    /** Number of fully published items. */
    public int size() {
        return items.size();
    }

    public int dim() {
        return vectors.dim();
    }

    public VectorTable vectors() {
        return vectors;
    }

    /** Interactions recorded for the item (its popularity). */
    public long popularity(int row) {
        return vectors.interactions(row);
    }

    @Override
    public void close() {
        vectors.close();
    }
}

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
 * <p>A row is <em>learned</em> when its vector came from training ({@link #upsert} with a
 * vector); rows created without one ({@link #upsertColdStart}) hold a cold-start guess, which
 * never counts as learned: only learned rows feed the tag centroids and the content neighbours
 * of later new items.
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
    // Rows whose vector was learned from interactions (given to upsert), not derived at cold start.
    private final ConcurrentBitSet learned = new ConcurrentBitSet();

    public ItemCatalog(int dim) {
        this.vectors = new VectorTable(dim, 16_384);
        this.centroids = new TagCentroids(dim);
    }

    /**
     * Creates or replaces an item and returns its row. A new item takes {@code vector} when given
     * (learned factors: the row counts as learned and joins its tags' centroids), else a
     * cold-start vector from its tags. A replaced item keeps its vector unless a new one is given.
     */
    public synchronized int upsert(Item item, float[] vector) {
        int row = ids.rowOf(item.id());
        if (row >= 0) {
            if (vector != null) {
                vectors.write(row, vector);
                learned.set(row);
            }
            items.set(row, item);
            removed.clear(row);
            return row;
        }
        float[] initial = vector != null ? vector : centroids.coldStartVector(item.tags());
        row = append(item, initial);
        if (vector != null) {
            centroids.add(item.tags(), vector);
            learned.set(row);
        }
        return row;
    }

    /**
     * Creates, revives or replaces an item that has no learned vector of its own and returns its
     * row. A new item starts at {@code coldStart} when given, else at its tags' centroid (as
     * {@link #upsert} with no vector); a removed item revived here takes {@code coldStart} when
     * given and its row was never learned. Otherwise the row keeps its vector: a live item being
     * replaced, or a learned one. {@code coldStart} is never counted as learned.
     */
    public synchronized int upsertColdStart(Item item, float[] coldStart) {
        int row = ids.rowOf(item.id());
        if (row < 0) {
            return append(item, coldStart != null ? coldStart : centroids.coldStartVector(item.tags()));
        }
        if (coldStart != null && removed.contains(row) && !learned.contains(row)) {
            vectors.write(row, coldStart);
        }
        items.set(row, item);
        removed.clear(row);
        return row;
    }

    /**
     * True when putting {@code id} now would give it a cold-start vector: it is new, or removed
     * and never learned. (A hint for callers that prepare the vector before taking the write
     * path; {@link #upsertColdStart} decides again under the catalogue's lock.)
     */
    public boolean wouldColdStart(String id) {
        int row = ids.rowOf(id);
        return row < 0 || (removed.contains(row) && !learned.contains(row));
    }

    /** True when row {@code row}'s vector was learned from interactions, not derived at cold start. */
    public boolean isLearned(int row) {
        return learned.contains(row);
    }

    /** Mean of the centroids of those of {@code tags} that have learned items, or null when none has. */
    public float[] tagCentroid(java.util.List<String> tags) {
        return centroids.centroid(tags);
    }

    private int append(Item item, float[] initial) {
        int row = ids.getOrCreate(item.id());
        vectors.ensureRows(row + 1);
        vectors.write(row, initial);
        vectors.setInteractions(row, 0, item.createdAtMillis());
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

package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.embeddings.VectorTable;

/**
 * Users known to the server: id to row, a latent vector per row in an off-heap
 * {@link VectorTable} (interaction count and last update in its metadata), and the consumed-item
 * filter. A user first seen in an event starts at the zero vector (a cold-start feed).
 *
 * <p>Threading: lookups lock-free; creation serialised. Lifecycle: {@link #close()} frees the
 * vector table; idempotent.
 */
public final class UserProfiles implements AutoCloseable {
    private final IdIndex ids = new IdIndex();
    private final VectorTable vectors;
    private final ConsumedItems consumed;

    public UserProfiles(int dim, int consumedPerUser) {
        this.vectors = new VectorTable(dim, 16_384);
        this.consumed = new ConsumedItems(consumedPerUser);
    }

    /** Row of {@code id}, or -1 for an unknown user. */
    public int rowOf(String id) {
        int row = ids.rowOf(id);
        return row < vectors.rows() ? row : -1;
    }

    /** Row of {@code id}, creating a cold user when it is new. */
    public int getOrCreate(String id) {
        int row = ids.rowOf(id);
        if (row >= 0 && row < vectors.rows()) {
            return row;
        }
        synchronized (this) {
            row = ids.getOrCreate(id);
            consumed.ensureUsers(row + 1);
            vectors.ensureRows(row + 1);
            return row;
        }
    }

    public String idOf(int row) {
        return ids.idOf(row);
    }

    public int size() {
        return vectors.rows();
    }

    public VectorTable vectors() {
        return vectors;
    }

    public ConsumedItems consumed() {
        return consumed;
    }

    @Override
    public void close() {
        vectors.close();
    }
}

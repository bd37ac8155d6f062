package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.IdIndex;
import dev.feedserver.embeddings.Vectors;
import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.EntryMeta;
import dev.feedserver.embeddings.store.KeyHash;
import dev.feedserver.embeddings.store.StorageType;

/**
 * Users known to the server: each user's unit-length vector, interaction count and last update
 * live in an off-heap {@link CuckooVectorStore} keyed by {@link KeyHash#keyOf} of the user id;
 * the consumed-item filter is indexed by a dense row from an {@link IdIndex}, created on the
 * user's first interaction. A user absent from the store gets the cold-start feed.
 *
 * <p>Threading: thread-safe (the store and the index are). Lifecycle: {@link #close()} frees the
 * store; idempotent.
 */
public final class UserProfiles implements AutoCloseable {
    /** Positive interactions remembered per user for the short-term interest. */
    public static final int RECENT_ITEMS = 10;

    private final CuckooVectorStore store;
    private final IdIndex rows = new IdIndex();
    private final ConsumedItems consumed;
    private final RecentInterests recent = new RecentInterests(RECENT_ITEMS);
    private final long capacity;

    public UserProfiles(int dim, StorageType storage, long capacity, int consumedPerUser) {
        this.store = new CuckooVectorStore(dim, storage, capacity);
        this.capacity = capacity;
        this.consumed = new ConsumedItems(consumedPerUser);
    }

    /** Copies the user's vector into {@code dst}; false for an unknown user. */
    public boolean read(String userId, float[] dst) {
        return store.get(KeyHash.keyOf(userId), dst);
    }

    /** Interaction count and last update, or null for an unknown user. */
    public EntryMeta meta(String userId) {
        return store.meta(KeyHash.keyOf(userId));
    }

    /** Stores a trained vector, normalised to unit length, with the user's history count. */
    public void load(String userId, float[] vector, long interactions, long lastUpdateMillis) {
        float[] unit = vector.clone();
        Vectors.normalise(unit);
        store.put(KeyHash.keyOf(userId), unit, lastUpdateMillis, interactions);
    }

    /** The user's consumed-filter row, creating it on first use. */
    public int row(String userId) {
        int row = rows.getOrCreate(userId);
        consumed.ensureUsers(row + 1);
        recent.ensureUsers(row + 1);
        return row;
    }

    /** The user's consumed-filter row, or -1 when the user has consumed nothing yet. */
    public int rowOf(String userId) {
        return rows.rowOf(userId);
    }

    /** Users with a consumed-filter row (rows {@code [0, rowCount())}). */
    public int rowCount() {
        return rows.size();
    }

    /** The user id of consumed-filter row {@code row}. */
    public String idOfRow(int row) {
        return rows.idOf(row);
    }

    public CuckooVectorStore store() {
        return store;
    }

    public ConsumedItems consumed() {
        return consumed;
    }

    /** Each user's last few positive interactions (same rows as {@link #consumed()}). */
    public RecentInterests recent() {
        return recent;
    }

    public int dim() {
        return store.dim();
    }

    /** Most users the store was sized for. */
    public long capacity() {
        return capacity;
    }

    /** Users with a stored vector. */
    public long size() {
        return store.size();
    }

    @Override
    public void close() {
        store.close();
    }
}

package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.KeyHash;
import dev.feedserver.embeddings.store.StorageType;

/**
 * Each user's affinity to the catalogue's latent clusters: a unit vector of one weight per
 * cluster, kept in its own small cuckoo store (INT8) and moved toward the cluster of every item
 * the user interacts with, by the same drift as the user vector:
 * {@code a <- normalise((1 - r) a + r onehot(cluster))}. A user without one yet (no event since
 * start) is served an affinity derived from the user vector.
 *
 * <p>Threading: thread-safe (the store is). Lifecycle: {@link #close()} frees the store.
 */
public final class ClusterAffinities implements AutoCloseable {
    private final CuckooVectorStore store;
    private final ThreadLocal<float[]> oneHot;

    public ClusterAffinities(int clusters, long capacity) {
        this.store = new CuckooVectorStore(clusters, StorageType.INT8, capacity);
        this.oneHot = ThreadLocal.withInitial(() -> new float[clusters]);
    }

    /** Copies the user's affinities into {@code dst}; false when the user has none yet. */
    public boolean read(String userId, float[] dst) {
        return store.get(KeyHash.keyOf(userId), dst);
    }

    /** Reserves the user's entry (see {@link CuckooVectorStore#createIfAbsent}). */
    public void reserve(String userId, long nowMillis) {
        store.createIfAbsent(KeyHash.keyOf(userId), nowMillis);
    }

    /** Moves the user's affinity toward (rate > 0) or away from (rate < 0) {@code cluster}. */
    public void update(String userId, int cluster, float rate, long nowMillis) {
        float[] target = oneHot.get();
        java.util.Arrays.fill(target, 0f);
        target[cluster] = 1f;
        store.drift(KeyHash.keyOf(userId), target, rate, nowMillis);
    }

    /** The underlying store (for checkpoints). */
    public CuckooVectorStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}

package dev.feedserver.ranking.users;

import dev.feedserver.embeddings.store.StorageType;

/**
 * Settings of the user vector store, validated at construction.
 *
 * @param storage how vectors are stored (INT8 by default: a quarter of FP32's bytes)
 * @param capacity most users the store holds; an event for a new user beyond it is answered 503
 */
public record UserStoreConfig(StorageType storage, long capacity) {
    public UserStoreConfig {
        if (storage == null) {
            throw new IllegalArgumentException("user storage type is required");
        }
        if (capacity < 1 || capacity > 1L << 32) {
            throw new IllegalArgumentException("max-users must be in [1, 2^32], got " + capacity);
        }
    }

    /** INT8 storage with room for at least a million users, or twice the users known now. */
    public static UserStoreConfig forUsers(long knownUsers) {
        return new UserStoreConfig(StorageType.INT8, Math.max(1_000_000L, 2 * knownUsers));
    }
}

package dev.feedserver.embeddings.store;

import java.util.HashSet;
import java.util.Set;

/**
 * The displacement search of a cuckoo insert: breadth-first over buckets, from the key's two
 * full candidate buckets, following each resident key to its other candidate bucket, until a
 * bucket with a free slot appears; then the entries along that shortest path move one step
 * each, last first, so every entry is always in one of its own buckets and readers see each
 * move as one versioned change. Bounded by a bucket budget. Called only under the store's
 * structure lock; stateless.
 */
final class CuckooPath {
    private CuckooPath() {
    }

    /** Frees a slot in {@code b1} or {@code b2} and returns it, or -1 when no path exists within budget. */
    static long makeRoom(CuckooVectorStore store, long b1, long b2, int maxBuckets) {
        long[] bucketOf = new long[maxBuckets];
        int[] parent = new int[maxBuckets];
        long[] viaSlot = new long[maxBuckets];
        Set<Long> seen = new HashSet<>();
        int tail = 0;
        for (long root : new long[] {b1, b2}) {
            if (seen.add(root)) {
                bucketOf[tail] = root;
                parent[tail] = -1;
                tail++;
            }
        }
        for (int node = 0; node < tail; node++) {
            long bucket = bucketOf[node];
            for (int s = 0; s < StoreLayout.SLOTS; s++) {
                long slot = bucket * StoreLayout.SLOTS + s;
                long alternate = store.alternateBucket(slot, bucket);
                long free = store.freeSlot(alternate);
                if (free >= 0) {
                    store.move(slot, free);
                    return shiftUp(store, node, slot, parent, viaSlot);
                }
                if (tail < maxBuckets && seen.add(alternate)) {
                    bucketOf[tail] = alternate;
                    parent[tail] = node;
                    viaSlot[tail] = slot;
                    tail++;
                }
            }
        }
        return -1;
    }

    /** Moves each ancestor's entry into the slot its child just freed; returns the slot freed in the root. */
    private static long shiftUp(CuckooVectorStore store, int node, long freed, int[] parent, long[] viaSlot) {
        int current = node;
        long free = freed;
        while (parent[current] >= 0) {
            long from = viaSlot[current];
            store.move(from, free);
            free = from;
            current = parent[current];
        }
        return free;
    }
}

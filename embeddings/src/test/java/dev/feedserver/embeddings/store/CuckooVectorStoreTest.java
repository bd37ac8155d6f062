package dev.feedserver.embeddings.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CuckooVectorStoreTest {
    private static final long NOW = 1_790_000_000_000L;

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void putGetRoundTripsWithinTheTypesPrecision(StorageType type) {
        int dim = 64;
        SplittableRandom random = new SplittableRandom(1);
        try (CuckooVectorStore store = new CuckooVectorStore(dim, type, 1_000)) {
            float[][] vectors = new float[200][dim];
            for (int i = 0; i < vectors.length; i++) {
                for (int k = 0; k < dim; k++) {
                    vectors[i][k] = (float) random.nextGaussian();
                }
                store.put(1000L + i, vectors[i], NOW);
            }
            assertEquals(200, store.size());
            float[] out = new float[dim];
            double tolerance = switch (type) {
                case F32 -> 0;
                case F16 -> 2e-3;
                case BF16 -> 1.6e-2;
                case INT8 -> 0.5 / 127 * 4.5; // half a step of absmax/127 with |x| <= ~4.5
                case FP8_E4M3 -> 0.07;        // relative, checked below
            };
            for (int i = 0; i < vectors.length; i++) {
                assertTrue(store.get(1000L + i, out));
                for (int k = 0; k < dim; k++) {
                    double allowed = type == StorageType.FP8_E4M3 ? tolerance * Math.abs(vectors[i][k]) + 1e-3 : tolerance * Math.max(1, Math.abs(vectors[i][k]));
                    assertEquals(vectors[i][k], out[k], allowed, type + " entry " + i + " element " + k);
                }
            }
            assertFalse(store.get(42L, out));
        }
    }

    @Test
    void driftIsTheNormalisedMixAndCreatesAbsentKeys() {
        try (CuckooVectorStore store = new CuckooVectorStore(3, StorageType.F32, 10)) {
            store.drift(7L, new float[] {0, 3, 4}, 0.1f, NOW);
            float[] out = new float[3];
            assertTrue(store.get(7L, out));
            assertArrayEquals(new float[] {0, 0.6f, 0.8f}, out, 1e-6f);
            store.put(8L, new float[] {1, 0, 0}, NOW);
            store.drift(8L, new float[] {0, 1, 0}, 0.1f, NOW + 5_000);
            store.get(8L, out);
            float n = (float) Math.sqrt(0.81 + 0.01);
            assertArrayEquals(new float[] {0.9f / n, 0.1f / n, 0}, out, 1e-6f);
            store.drift(8L, new float[] {0, 1, 0}, -0.1f, NOW + 6_000);
            store.get(8L, out);
            assertTrue(out[1] < 0.1f / n, "negative alpha pushes away");
            EntryMeta meta = store.meta(8L);
            assertEquals(3, meta.interactions());
            assertEquals(NOW + 6_000, meta.lastUpdateMillis());
            assertThrows(IllegalArgumentException.class, () -> store.drift(8L, new float[3], 1.5f, NOW));
        }
    }

    @Test
    void touchCountsWithoutMovingAndPutCanSetTheCount() {
        try (CuckooVectorStore store = new CuckooVectorStore(2, StorageType.INT8, 10)) {
            store.touch(5L, NOW);
            float[] out = new float[2];
            assertTrue(store.get(5L, out));
            assertArrayEquals(new float[2], out);
            store.put(6L, new float[] {1, -1}, NOW, 40);
            store.touch(6L, NOW + 1_000);
            store.get(6L, out);
            assertArrayEquals(new float[] {1, -1}, out, 1e-6f);
            assertEquals(new EntryMeta(41, NOW + 1_000), store.meta(6L));
            assertEquals(new EntryMeta(1, NOW), store.meta(5L));
        }
    }

    @Test
    void removeExpireAndIterate() {
        try (CuckooVectorStore store = new CuckooVectorStore(2, StorageType.F32, 100)) {
            for (long k = 0; k < 10; k++) {
                store.put(k, new float[] {k, -k}, NOW + k * 10_000);
            }
            assertTrue(store.remove(3L));
            assertFalse(store.remove(3L));
            assertNull(store.meta(3L));
            assertEquals(4, store.expireOlderThan(NOW + 50_000)); // keys 0,1,2,4
            Set<Long> seen = new HashSet<>();
            store.forEach((key, vector, interactions, last) -> {
                assertEquals((float) key, vector[0]);
                assertEquals(1, interactions);
                seen.add(key);
            });
            assertEquals(Set.of(5L, 6L, 7L, 8L, 9L), seen);
            assertEquals(5, store.size());
        }
    }

    @Test
    void fillsPastNinetyPercentThenFailsWithATypedErrorAndLosesNothing() {
        try (CuckooVectorStore store = new CuckooVectorStore(4, StorageType.INT8, 20_000)) {
            long inserted = 0;
            StoreFullException full = null;
            float[] v = {1, 2, 3, 4};
            try {
                for (long k = 1; k < 100_000; k++) {
                    store.put(k * 7919, v, NOW);
                    inserted++;
                }
            } catch (StoreFullException e) {
                full = e;
            }
            assertTrue(full != null && full.getMessage().contains("full"), "a typed error when full");
            assertTrue(store.loadFactor() >= 0.90, "load factor reached " + store.loadFactor());
            assertEquals(inserted, store.size());
            float[] out = new float[4];
            for (long k = 1; k <= inserted; k++) {
                assertTrue(store.get(k * 7919, out), "key " + k + " survived the displacements");
            }
            store.put(7919, new float[] {4, 3, 2, 1}, NOW); // replacing still works when full
            store.get(7919, out);
            assertEquals(4f, out[0], 0.05f);
        }
    }

    @Test
    void closedStoreFailsCleanly() {
        CuckooVectorStore store = new CuckooVectorStore(2, StorageType.F32, 10);
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, () -> store.get(1L, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new CuckooVectorStore(0, StorageType.F32, 10));
    }

    @Test
    void stringIdsMapToKeys() {
        assertEquals(12345L, KeyHash.keyOf("12345"));
        assertEquals(0L, KeyHash.keyOf("0"));
        assertTrue(KeyHash.keyOf("012") < 0, "leading zeros hash, so '012' and '12' differ");
        assertTrue(KeyHash.keyOf("u42") < 0);
        assertTrue(KeyHash.keyOf("u42") != KeyHash.keyOf("u43"));
    }
}

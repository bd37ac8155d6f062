package dev.feedserver.embeddings.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random operation sequences against a HashMap model (F32 storage, so values compare exactly). */
class CuckooVectorStoreModelTest {

    @Test
    void behavesLikeAMapUnderRandomOperations() {
        for (long seed = 1; seed <= 5; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        int dim = 5;
        SplittableRandom random = new SplittableRandom(seed);
        Map<Long, float[]> model = new HashMap<>();
        try (CuckooVectorStore store = new CuckooVectorStore(dim, StorageType.F32, 3_000)) {
            float[] out = new float[dim];
            for (int step = 0; step < 40_000; step++) {
                long key = random.nextLong(4_000) - 1_000; // negative keys too
                int op = random.nextInt(10);
                float[] v = new float[dim];
                for (int k = 0; k < dim; k++) {
                    v[k] = (float) random.nextGaussian();
                }
                if (op < 3 && (model.size() < 2_700 || model.containsKey(key))) {
                    store.put(key, v, 1L);
                    model.put(key, v.clone());
                } else if (op < 6 && (model.size() < 2_700 || model.containsKey(key))) {
                    float alpha = (float) (random.nextDouble() * 0.4 - 0.1);
                    store.drift(key, v, alpha, 1L);
                    float[] u = model.containsKey(key) ? model.get(key) : new float[dim];
                    CuckooVectorStore.mixAndNormalise(u, v, alpha);
                    model.put(key, u);
                } else if (op < 8) {
                    assertEquals(model.remove(key) != null, store.remove(key), "remove " + key);
                } else {
                    boolean present = store.get(key, out);
                    assertEquals(model.containsKey(key), present, "get " + key + " at step " + step);
                    if (present) {
                        assertArrayEquals(model.get(key), out, "value of " + key);
                    }
                }
                assertEquals(model.size(), store.size());
            }
            int[] visited = {0};
            store.forEach((key, vector, interactions, last) -> {
                assertArrayEquals(model.get(key), vector);
                visited[0]++;
            });
            assertEquals(model.size(), visited[0]);
        }
    }
}

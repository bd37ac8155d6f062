package dev.feedserver.embeddings.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Writers drift and re-put a few hot keys (whose vectors always have all elements equal: the
 * embedded checksum) and insert/remove other keys to force displacements; readers must never
 * see a torn hot vector and must keep making progress. Bounded to about two seconds.
 */
class CuckooVectorStoreStressTest {

    @Test
    void readersNeverSeeTornVectorsWhileWritersDriftAndEntriesMove() throws Exception {
        int dim = 128;
        int hot = 8;
        try (CuckooVectorStore store = new CuckooVectorStore(dim, StorageType.F32, 6_000)) {
            for (long k = 0; k < hot; k++) {
                store.put(k, constant(dim, 1f), 1L);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(1);
                while (!stop.get()) {
                    long key = random.nextInt(hot);
                    store.drift(key, constant(dim, random.nextFloat() + 0.1f), 0.1f, 2L);
                }
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(2);
                float[] v = constant(dim, 3f);
                while (!stop.get()) {
                    long key = 1_000 + random.nextInt(5_200);
                    if (random.nextBoolean()) {
                        try {
                            store.put(key, v, 3L);
                        } catch (StoreFullException e) {
                            store.remove(key);
                        }
                    } else {
                        store.remove(key);
                    }
                }
            }));
            for (int r = 0; r < 2; r++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    float[] out = new float[dim];
                    while (!stop.get()) {
                        for (long key = 0; key < hot; key++) {
                            if (!store.get(key, out)) {
                                failure.compareAndSet(null, "hot key " + key + " went missing during a move");
                            }
                            for (int k = 1; k < dim; k++) {
                                if (out[k] != out[0]) {
                                    failure.compareAndSet(null, "torn vector for key " + key + ": " + out[0] + " vs " + out[k]);
                                }
                            }
                            reads.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(2_000);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get());
            assertTrue(reads.get() > 10_000, "readers progressed: " + reads.get());
            assertEquals(hot, countHot(store, hot));
        }
    }

    private static int countHot(CuckooVectorStore store, int hot) {
        int n = 0;
        float[] out = new float[store.dim()];
        for (long k = 0; k < hot; k++) {
            n += store.get(k, out) ? 1 : 0;
        }
        return n;
    }

    private static float[] constant(int dim, float value) {
        float[] v = new float[dim];
        java.util.Arrays.fill(v, value);
        return v;
    }
}

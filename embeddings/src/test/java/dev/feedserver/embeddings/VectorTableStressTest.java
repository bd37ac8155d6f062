package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Writers fill whole rows with one value; readers must never see two different values in one
 * row (a torn read). Bounded in time; runs on the two CI cores in about a second.
 */
class VectorTableStressTest {

    @Test
    void readersNeverObserveTornVectorsUnderConcurrentWritesAndGrowth() throws Exception {
        int dim = 256;
        try (VectorTable table = new VectorTable(dim, 64)) {
            table.ensureRows(16);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    float[] row = new float[dim];
                    int i = seed;
                    while (!stop.get()) {
                        java.util.Arrays.fill(row, i);
                        table.write(i % 16, row);
                        table.recordInteraction((i + 3) % 16, i);
                        if (i % 1000 == 0 && table.rows() < 4096) {
                            table.ensureRows(table.rows() + 64);
                        }
                        i += 2;
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    float[] out = new float[dim];
                    while (!stop.get()) {
                        for (int row = 0; row < 16; row++) {
                            table.read(row, out);
                            for (int k = 1; k < dim; k++) {
                                if (out[k] != out[0]) {
                                    failure.compareAndSet(null, "torn row " + row + ": " + out[0] + " vs " + out[k]);
                                }
                            }
                            reads.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1500);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(null, failure.get());
            assertTrue(reads.get() > 1000, "readers made progress: " + reads.get());
        }
    }
}

package dev.feedserver.ranking.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lock-free reads under concurrent writes never see a half-written item. */
class ItemStatisticsStressTest {

    @Test
    void readersNeverSeeATornItem() throws Exception {
        ItemStatistics statistics = new ItemStatistics();
        statistics.ensureItems(8);
        long t = 1_000_000L;
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                while (!stop.get()) {
                    // All events at one moment: nothing decays, so every positive window equals the total.
                    statistics.record(i++ & 7, ItemStatistics.Kind.POSITIVE, t);
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                float[] out = new float[ItemStatistics.COUNTERS];
                int i = 0;
                while (!stop.get()) {
                    int item = i++ & 7;
                    long total = statistics.read(item, t, out, 0);
                    if (out[0] != total || out[1] != total || out[2] != total) {
                        torn.add("item " + item + ": windows " + out[0] + ", " + out[1] + ", " + out[2] + " but total " + total);
                    }
                    reads.incrementAndGet();
                }
            }));
        }
        Thread.sleep(1_500);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(torn.isEmpty(), () -> torn.size() + " torn reads, e.g. " + torn.peek());
        assertTrue(reads.get() > 10_000, "reads ran: " + reads.get());
        long sum = 0;
        float[] out = new float[ItemStatistics.COUNTERS];
        for (int item = 0; item < 8; item++) {
            sum += statistics.read(item, t, out, 0);
            assertEquals(statistics.positives(item), (long) out[0]);
        }
        assertTrue(sum > 0);
    }
}

package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.embeddings.VectorTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Stress: one thread adds and removes items (growing lists past their capacity, so storage is
 * republished) while searchers run. Every search must return live items with their exact
 * scores, never an item removed before it started, and everything added must be findable after.
 */
class IvfConcurrencyTest {
    private static final int DIM = 32;

    @Test
    void searchesStayCorrectWhileItemsAreAddedAndRemoved() throws Exception {
        int initial = 4_000;
        int added = 12_000;
        try (VectorTable table = ClusteredVectors.table(initial + added, DIM, 20, 13)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, initial,
                    IvfInterestIndex.Config.defaults().withDirections(4).withScanFactor(1_000f).withShortlistFactor(1.5f), 5);
            AtomicIntegerArray removed = new AtomicIntegerArray(initial + added);
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            float[][] queries = ClusteredVectors.queries(16, DIM, 20, 13);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> searchers = new ArrayList<>();
            long[] searches = new long[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                searchers.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    int q = id;
                    while (!done.get()) {
                        float[] query = queries[q++ % queries.length];
                        int[] removedBefore = snapshotRemovals(removed);
                        TopK top = new TopK(100);
                        index.search(query, item -> false, top);
                        int[] ids = new int[top.size()];
                        float[] scores = new float[ids.length];
                        top.drainDescending(ids, scores);
                        for (int i = 0; i < ids.length; i++) {
                            if (removedBefore[ids[i]] != 0) {
                                failures.add("item " + ids[i] + " returned after its removal");
                            }
                            float exact = ClusteredVectors.dot(table, ids[i], query);
                            if (Math.abs(exact - scores[i]) > 1e-4f) {
                                failures.add("item " + ids[i] + " scored " + scores[i] + ", exact " + exact);
                            }
                        }
                        searches[id]++;
                    }
                }));
            }
            start.countDown();
            for (int item = initial; item < initial + added; item++) {
                index.add(item);
                if (item % 7 == 0) {
                    int victim = item - 3_000;
                    index.remove(victim);
                    removed.set(victim, 1);
                }
            }
            done.set(true);
            for (Thread searcher : searchers) {
                searcher.join();
            }
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            assertTrue(searches[0] > 0 && searches[1] > 0, "both searchers ran");

            int live = 0;
            for (int item = 0; item < initial + added; item++) {
                live += removed.get(item) == 0 ? 1 : 0;
            }
            assertEquals(live, index.size());
            // every live added item is its own best match when queried with a scaled copy of itself
            float[] row = new float[DIM];
            for (int item = initial; item < initial + added; item += 97) {
                if (removed.get(item) != 0) {
                    continue;
                }
                table.read(item, row);
                TopK top = new TopK(index.size());
                index.search(row, other -> false, top);
                int[] ids = new int[top.size()];
                top.drainDescending(ids, new float[ids.length]);
                boolean found = false;
                for (int id : ids) {
                    found |= id == item;
                }
                assertTrue(found, "added item " + item + " is searchable");
            }
        }
    }

    private static int[] snapshotRemovals(AtomicIntegerArray removed) {
        int[] out = new int[removed.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = removed.get(i);
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

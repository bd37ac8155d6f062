package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.embeddings.VectorTable;
import org.junit.jupiter.api.Test;

class IvfInterestIndexTest {
    private static final int DIM = 64;
    private static final int K = 200;

    @Test
    void clusteredDataNeedsFewProbes() {
        int n = 20_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 100, 7)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, n, IvfInterestIndex.Config.defaults().withScanFactor(16f), 3);
            double recall = meanRecall(table, n, index, ClusteredVectors.queries(40, DIM, 100, 7));
            assertTrue(recall >= 0.95, "recall@" + K + " " + recall + " scanning 16 x k items");
        }
    }

    @Test
    void randomDataNeedsMostListsAndRecallGrowsWithProbes() {
        // Isotropic noise has no structure to exploit: an IVF index must scan most lists. The
        // test pins down that recall rises with probes and that enough probes reach the target.
        int n = 20_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 0, 7)) {
            float[][] queries = ClusteredVectors.queries(30, DIM, 0, 7);
            double previous = 0;
            for (float scanFactor : new float[] {7, 28, 89}) { // 7%, 28% and 89% of the items
                IvfInterestIndex index = IvfInterestIndex.build(table, n, IvfInterestIndex.Config.defaults().withScanFactor(scanFactor), 3);
                double recall = meanRecall(table, n, index, queries);
                assertTrue(recall > previous, "recall " + recall + " scanning " + scanFactor + " x k, " + previous + " with less");
                previous = recall;
            }
            assertTrue(previous >= 0.95, "recall@" + K + " " + previous + " scanning 89 x k items");
        }
    }

    @Test
    void probingEveryListFindsTheExactTopK() {
        int n = 5_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 50, 11)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, n,
                    IvfInterestIndex.Config.defaults().withDirections(8).withScanFactor(100f).withShortlistFactor(3f), 1);
            double recall = meanRecall(table, n, index, ClusteredVectors.queries(20, DIM, 50, 11));
            assertTrue(recall >= 0.999, "recall " + recall);
        }
    }

    @Test
    void returnsExactFloatScoresWhenRescoring() {
        assertScoresMatchInnerProducts(IvfInterestIndex.Config.defaults().withShortlistFactor(1.5f), 0f, 1e-4f);
    }

    @Test
    void int8ScoresApproximateTheInnerProduct() {
        assertScoresMatchInnerProducts(IvfInterestIndex.Config.defaults(), 0.02f, 0f);
    }

    /** Every returned score is within {@code relative x |exact| + absolute} of the exact inner product. */
    private static void assertScoresMatchInnerProducts(IvfInterestIndex.Config config, float relative, float absolute) {
        int n = 4_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 20, 5)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, n, config, 1);
            float[] query = ClusteredVectors.queries(1, DIM, 20, 5)[0];
            TopK top = new TopK(50);
            index.search(query, item -> false, top);
            int[] ids = new int[top.size()];
            float[] scores = new float[ids.length];
            top.drainDescending(ids, scores);
            assertEquals(50, ids.length);
            for (int i = 0; i < ids.length; i++) {
                float exact = ClusteredVectors.dot(table, ids[i], query);
                assertEquals(exact, scores[i], relative * Math.abs(exact) + absolute, "score of item " + ids[i]);
            }
        }
    }

    @Test
    void addedItemsAreFoundAndRemovedItemsAreNot() {
        int n = 6_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 30, 9)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, n, IvfInterestIndex.Config.defaults(), 2);
            float[] query = ClusteredVectors.queries(1, DIM, 30, 9)[0];
            float[] strong = query.clone();
            for (int d = 0; d < DIM; d++) {
                strong[d] *= 10f;
            }
            table.ensureRows(n + 1);
            table.write(n, strong);
            index.add(n);
            assertEquals(n, best(index, query, item -> false));

            index.remove(n);
            assertTrue(best(index, query, item -> false) != n, "removed item must not come back");

            int previousBest = best(index, query, item -> false);
            index.remove(previousBest);
            assertTrue(best(index, query, item -> false) != previousBest);
            assertEquals(n, index.size() + 1, "two removed, one added");

            float[] opposite = strong.clone();
            for (int d = 0; d < DIM; d++) {
                opposite[d] = -opposite[d];
            }
            table.write(previousBest, opposite);
            index.add(previousBest); // vector changed: re-indexed in its new list
            int[] top = topIds(index, negate(query), 1);
            assertEquals(previousBest, top[0]);
        }
    }

    @Test
    void theFilterExcludesItems() {
        int n = 3_000;
        try (VectorTable table = ClusteredVectors.table(n, DIM, 10, 4)) {
            IvfInterestIndex index = IvfInterestIndex.build(table, n, IvfInterestIndex.Config.defaults(), 2);
            float[] query = ClusteredVectors.queries(1, DIM, 10, 4)[0];
            TopK top = new TopK(100);
            index.search(query, item -> item % 2 == 0, top);
            int[] ids = new int[top.size()];
            top.drainDescending(ids, new float[ids.length]);
            assertEquals(100, ids.length);
            for (int id : ids) {
                assertEquals(1, id % 2);
            }
        }
    }

    private static double meanRecall(VectorTable table, int n, InterestIndex index, float[][] queries) {
        double sum = 0;
        for (float[] query : queries) {
            sum += ClusteredVectors.recall(ClusteredVectors.exactTop(table, n, query, K), topIds(index, query, K));
        }
        return sum / queries.length;
    }

    static int[] topIds(InterestIndex index, float[] query, int k) {
        TopK top = new TopK(k);
        index.search(query, item -> false, top);
        int[] ids = new int[top.size()];
        top.drainDescending(ids, new float[ids.length]);
        return ids;
    }

    private static int best(InterestIndex index, float[] query, ItemFilter filter) {
        TopK top = new TopK(1);
        index.search(query, filter, top);
        int[] ids = new int[1];
        top.drainDescending(ids, new float[1]);
        return ids[0];
    }

    private static float[] negate(float[] v) {
        float[] out = v.clone();
        for (int d = 0; d < out.length; d++) {
            out[d] = -out[d];
        }
        return out;
    }
}

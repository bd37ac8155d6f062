package dev.feedserver.ranking.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateOrderTest {

    @Test
    void sortsItemsAscendingAndKeepsEachItemsSources() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 2_400;
        int[] items = new int[n + 3];
        byte[] sources = new byte[n + 3];
        Map<Integer, Byte> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int item;
            do {
                item = random.nextInt(Integer.MAX_VALUE); // distinct, as merged candidates are
            } while (expected.containsKey(item));
            items[i] = item;
            sources[i] = (byte) random.nextInt(256); // every bit pattern, the sign bit included
            expected.put(item, sources[i]);
        }
        items[n] = -7; // past n: untouched
        CandidateOrder.sortByItem(items, sources, n, new long[n]);
        for (int i = 0; i < n; i++) {
            assertTrue(i == 0 || items[i - 1] < items[i], "ascending at " + i);
            assertEquals(expected.get(items[i]), sources[i], "sources travel with item " + items[i]);
        }
        assertEquals(-7, items[n]);
    }
}

package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FreshIndexTest {

    @Test
    void newestFirstBoundedAndFiltered() {
        FreshIndex index = new FreshIndex(4, 3_600_000L);
        for (int item = 0; item < 10; item++) {
            index.add(item, 1_000L * item);
        }
        assertArrayEquals(new int[] {9, 8, 7, 6}, index.newest(10, item -> false), "only the newest 4 are kept");
        assertArrayEquals(new int[] {9, 7}, index.newest(2, item -> item == 8));
    }

    @Test
    void priorHalvesEveryHalfLife() {
        FreshIndex index = new FreshIndex(4, 1_000L);
        assertEquals(1f, index.prior(5_000, 5_000), 1e-6f);
        assertEquals(0.5f, index.prior(5_000, 6_000), 1e-6f);
        assertEquals(0.25f, index.prior(5_000, 7_000), 1e-6f);
        assertEquals(1f, index.prior(9_000, 5_000), 1e-6f, "an item from the future counts as brand new");
    }
}

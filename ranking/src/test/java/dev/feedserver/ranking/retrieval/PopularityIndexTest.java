package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import java.util.List;
import org.junit.jupiter.api.Test;

class PopularityIndexTest {

    @Test
    void ranksByCountAndPicksUpNewCountsInTheBackground() throws Exception {
        try (ItemCatalog catalog = new ItemCatalog(4)) {
            for (int i = 0; i < 5; i++) {
                int row = catalog.upsert(new Item("i" + i, "t", "", List.of(), 0), new float[4]);
                catalog.vectors().setInteractions(row, i * 10L, 0);
            }
            PopularityIndex index = new PopularityIndex(catalog, 3, 10);
            index.refresh();
            assertArrayEquals(new int[] {4, 3, 2}, index.top());
            assertEquals(1f, index.prior(4), 1e-6f);
            assertEquals(0f, index.prior(0), 1e-6f);

            catalog.vectors().setInteractions(0, 1_000, 0);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (index.top()[0] != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, index.top()[0], "a stale ranking is refreshed off the request path");
            assertTrue(index.prior(4) < 1f);
        }
    }
}

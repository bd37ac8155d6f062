package dev.feedserver.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdIndexTest {

    @Test
    void assignsDenseRowsOncePerIdUnderContention() throws Exception {
        IdIndex index = new IdIndex();
        ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            java.util.List<java.util.concurrent.Future<Object>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        String id = "u" + i;
                        int row = index.getOrCreate(id);
                        Integer previous = seen.putIfAbsent(id, row);
                        if (previous != null && previous != row) {
                            throw new AssertionError(id + " got rows " + previous + " and " + row);
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(10_000, index.size());
        for (int row = 0; row < index.size(); row++) {
            assertEquals(row, index.rowOf(index.idOf(row)));
        }
        assertEquals(-1, index.rowOf("nobody"));
    }

    @Test
    void validatesIds() {
        assertTrue(IdIndex.isValidId("user-42:a@b.c_d"));
        assertFalse(IdIndex.isValidId(""));
        assertFalse(IdIndex.isValidId("has space"));
        assertFalse(IdIndex.isValidId("x".repeat(129)));
        assertFalse(IdIndex.isValidId(null));
    }
}

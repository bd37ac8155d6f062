package dev.feedserver.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.embeddings.store.StorageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UserExpiryTest {

    @Test
    void sweepRemovesOnlyUsersIdleLongerThanTheTtl() {
        try (CuckooVectorStore store = new CuckooVectorStore(2, StorageType.F32, 10)) {
            long now = System.currentTimeMillis();
            store.put(1L, new float[] {1, 0}, now - Duration.ofDays(40).toMillis());
            store.put(2L, new float[] {0, 1}, now - Duration.ofDays(2).toMillis());
            try (UserExpiry expiry = new UserExpiry(store, Duration.ofDays(30))) {
                expiry.sweep();
                assertEquals(1, expiry.expired());
            }
            assertFalse(store.get(1L, new float[2]));
            assertTrue(store.get(2L, new float[2]));
            assertThrows(IllegalArgumentException.class, () -> new UserExpiry(store, Duration.ZERO));
        }
    }
}

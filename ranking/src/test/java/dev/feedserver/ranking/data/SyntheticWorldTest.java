package dev.feedserver.ranking.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticWorldTest {
    private static final SyntheticWorldSpec SMALL = new SyntheticWorldSpec(7, 300, 600, 8, 20);

    @Test
    void sameSeedSameWorld() {
        Dataset a = SyntheticWorld.generate(SMALL, n -> { });
        Dataset b = SyntheticWorld.generate(SMALL, n -> { });
        assertEquals(a.interactions().size(), b.interactions().size());
        for (int i = 0; i < a.interactions().size(); i += 97) {
            assertEquals(a.interactions().item(i), b.interactions().item(i));
            assertEquals(a.interactions().timeMillis(i), b.interactions().timeMillis(i));
        }
        assertEquals(a.items().get(5).title(), b.items().get(5).title());
        Dataset c = SyntheticWorld.generate(new SyntheticWorldSpec(8, 300, 600, 8, 20), n -> { });
        assertNotEquals(a.interactions().size() + a.items().get(5).title(), c.interactions().size() + c.items().get(5).title());
    }

    @Test
    void usersClickMostlyTheirOwnTopics() {
        Dataset world = SyntheticWorld.generate(SMALL, n -> { });
        int[][] perUserTopic = new int[SMALL.users()][SMALL.topics()];
        for (int i = 0; i < world.interactions().size(); i++) {
            perUserTopic[world.interactions().user(i)][world.interactions().item(i) % SMALL.topics()]++;
        }
        double concentrated = 0;
        int users = 0;
        for (int[] topics : perUserTopic) {
            int total = java.util.Arrays.stream(topics).sum();
            if (total >= 10) {
                int top3 = java.util.Arrays.stream(topics).sorted().skip(topics.length - 3).sum();
                concentrated += (double) top3 / total;
                users++;
            }
        }
        assertTrue(concentrated / users > 0.7, "top-3 topics should hold most clicks: " + concentrated / users);
    }

    @Test
    void interactionsHappenAfterItemCreation() {
        Dataset world = SyntheticWorld.generate(SMALL, n -> { });
        for (int i = 0; i < world.interactions().size(); i++) {
            long created = world.items().get(world.interactions().item(i)).createdAtMillis();
            assertTrue(world.interactions().timeMillis(i) >= created);
        }
    }

    @Test
    void invalidSizesAreRejectedWithTheFieldName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SyntheticWorldSpec(1, 0, 10, 2, 5));
        assertTrue(e.getMessage().startsWith("users"));
    }
}

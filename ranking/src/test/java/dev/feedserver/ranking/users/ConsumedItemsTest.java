package dev.feedserver.ranking.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsumedItemsTest {

    @Test
    void forgetsTheOldestBeyondCapacityAgainstAReference() {
        for (int capacity : new int[] {1, 3, 8, 37}) {
            checkAgainstReference(capacity);
        }
    }

    private static void checkAgainstReference(int capacity) {
        ConsumedItems consumed = new ConsumedItems(capacity);
        consumed.ensureUsers(1);
        ArrayDeque<Integer> order = new ArrayDeque<>();
        Set<Integer> reference = new HashSet<>();
        SplittableRandom random = new SplittableRandom(9);
        for (int step = 0; step < 5_000; step++) {
            int item = random.nextInt(120);
            consumed.add(0, item);
            if (reference.add(item)) {
                order.addLast(item);
                if (reference.size() > capacity) {
                    reference.remove(order.removeFirst());
                }
            }
            if (step % 97 == 0) {
                for (int probe = 0; probe < 120; probe++) {
                    assertEquals(reference.contains(probe), consumed.contains(0, probe), "item " + probe + " at step " + step);
                }
            }
        }
        assertEquals(capacity, consumed.count(0));
    }

    @Test
    void unknownUsersHaveNothing() {
        ConsumedItems consumed = new ConsumedItems(4);
        assertFalse(consumed.contains(-1, 3));
        assertFalse(consumed.contains(5, 3));
        consumed.ensureUsers(2);
        consumed.add(1, 3);
        assertTrue(consumed.contains(1, 3));
        assertEquals(0, consumed.count(0));
    }
}

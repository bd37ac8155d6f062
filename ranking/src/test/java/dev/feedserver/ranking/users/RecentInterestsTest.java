package dev.feedserver.ranking.users;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecentInterestsTest {

    @Test
    void keepsTheNewestItemsNewestFirst() {
        RecentInterests recent = new RecentInterests(3);
        recent.ensureUsers(2);
        int[] out = new int[5];
        assertEquals(0, recent.newestFirst(0, out));
        assertEquals(0, recent.newestFirst(7, out), "unknown user");
        recent.record(0, 10);
        recent.record(0, 11);
        assertEquals(2, recent.newestFirst(0, out));
        assertArrayEquals(new int[] {11, 10}, Arrays.copyOf(out, 2));
        recent.record(0, 12);
        recent.record(0, 13);
        assertEquals(3, recent.newestFirst(0, out));
        assertArrayEquals(new int[] {13, 12, 11}, Arrays.copyOf(out, 3));
        assertEquals(0, recent.newestFirst(1, out), "users are separate");
        int[] small = new int[2];
        assertEquals(2, recent.newestFirst(0, small));
        assertArrayEquals(new int[] {13, 12}, small);
        assertThrows(IllegalArgumentException.class, () -> new RecentInterests(0));
    }
}

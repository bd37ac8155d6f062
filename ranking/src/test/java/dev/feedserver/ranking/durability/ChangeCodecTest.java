package dev.feedserver.ranking.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {

    @Test
    void everyKindRoundTrips() {
        List<Change> changes = List.of(
                new Change.EventBatch(List.of(new Interaction("u1", "i2", EventType.CLICK, 0, 1_700_000_000_000L),
                        new Interaction("ü-ser", "ítem", EventType.DWELL, 12_000, 5L))),
                new Change.ItemPut(new Item("new", "A title", "text ".repeat(20_000), List.of("jazz", "live"), 42L)),
                new Change.ItemRemove("gone"));
        for (Change change : changes) {
            assertEquals(change, ChangeCodec.decode(ChangeCodec.encode(change)));
        }
    }

    @Test
    void malformedPayloadsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(new byte[] {9}));
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(new byte[] {1, 0, 0, 0, 5}));
        byte[] valid = ChangeCodec.encode(new Change.ItemRemove("x"));
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(longer));
    }
}

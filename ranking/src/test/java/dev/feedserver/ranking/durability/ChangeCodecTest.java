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
                new Change.ItemRemove("gone"),
                new Change.EventBatch(List.of(new Interaction("u1", "i2", EventType.LIKE, 0, 7L)), "client-1:batch.0042", 1_700_000_123_456L));
        for (Change change : changes) {
            assertEquals(change, ChangeCodec.decode(ChangeCodec.encode(change)));
        }
    }

    @Test
    void aBatchWithoutAKeyIsWrittenInTheOriginalFormatSoOldLogsReplay() throws Exception {
        // The bytes a log written before batch keys existed holds for one click: kind 1, then the events.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(1);
            out.writeUTF("u1");
            out.writeUTF("i2");
            out.writeUTF("CLICK");
            out.writeLong(0);
            out.writeLong(5L);
        }
        Change.EventBatch old = new Change.EventBatch(List.of(new Interaction("u1", "i2", EventType.CLICK, 0, 5L)));
        assertEquals(old, ChangeCodec.decode(bytes.toByteArray()));
        org.junit.jupiter.api.Assertions.assertArrayEquals(bytes.toByteArray(), ChangeCodec.encode(old));
        assertEquals(null, old.batchId());
    }

    @Test
    void malformedPayloadsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(new byte[] {4, 0, 3, 'a', ' ', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                "a keyed batch whose key has a space");
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(new byte[] {9}));
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(new byte[] {1, 0, 0, 0, 5}));
        byte[] valid = ChangeCodec.encode(new Change.ItemRemove("x"));
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ChangeCodec.decode(longer));
    }
}

package dev.feedserver.ranking.durability;

import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link Change} in the event log: a kind byte, then the fields with
 * length-prefixed UTF-8 strings and big-endian numbers (Java's data streams). Event types are
 * stored by name, so reordering the enum cannot change what a log means. Stateless.
 *
 * <p>Kinds: 1 event batch ({@code count i32}, then per event user, item, type, dwell, time);
 * 2 item put; 3 item removal; 4 event batch with an idempotency key ({@code key utf,
 * acceptedAt i64}, then as kind 1). A batch without a key is still written as kind 1, so logs
 * written before kind 4 existed replay unchanged and a server without keys writes what older
 * versions read.
 */
public final class ChangeCodec {
    private static final byte EVENT_BATCH = 1;
    private static final byte ITEM_PUT = 2;
    private static final byte ITEM_REMOVE = 3;
    private static final byte KEYED_EVENT_BATCH = 4;

    private ChangeCodec() {
    }

    public static byte[] encode(Change change) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (change) {
                case Change.EventBatch batch -> {
                    if (batch.batchId() == null) {
                        out.writeByte(EVENT_BATCH);
                    } else {
                        out.writeByte(KEYED_EVENT_BATCH);
                        out.writeUTF(batch.batchId());
                        out.writeLong(batch.atMillis());
                    }
                    out.writeInt(batch.events().size());
                    for (Interaction event : batch.events()) {
                        out.writeUTF(event.userId());
                        out.writeUTF(event.itemId());
                        out.writeUTF(event.type().name());
                        out.writeLong(event.dwellMillis());
                        out.writeLong(event.timeMillis());
                    }
                }
                case Change.ItemPut put -> {
                    out.writeByte(ITEM_PUT);
                    writeItem(out, put.item());
                }
                case Change.ItemRemove remove -> {
                    out.writeByte(ITEM_REMOVE);
                    out.writeUTF(remove.itemId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Decodes a payload written by {@link #encode}; a malformed one is an {@link IllegalArgumentException}. */
    public static Change decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            byte kind = in.readByte();
            Change change = switch (kind) {
                case EVENT_BATCH -> new Change.EventBatch(readEvents(in, payload.length));
                case KEYED_EVENT_BATCH -> {
                    String key = in.readUTF();
                    long atMillis = in.readLong();
                    yield new Change.EventBatch(readEvents(in, payload.length), key, atMillis);
                }
                case ITEM_PUT -> new Change.ItemPut(readItem(in, payload.length));
                case ITEM_REMOVE -> new Change.ItemRemove(in.readUTF());
                default -> throw new IllegalArgumentException("unknown change kind " + kind);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return change;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed change record: " + e, e);
        }
    }

    private static List<Interaction> readEvents(DataInputStream in, int payloadLength) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > payloadLength) {
            throw new IllegalArgumentException("event count " + count);
        }
        List<Interaction> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new Interaction(in.readUTF(), in.readUTF(), EventType.valueOf(in.readUTF()), in.readLong(), in.readLong()));
        }
        return events;
    }

    /** An item's fields (shared with {@link ModelCheckpoint}). */
    static void writeItem(DataOutputStream out, Item item) throws IOException {
        out.writeUTF(item.id());
        out.writeUTF(item.title());
        writeLongString(out, item.text());
        out.writeInt(item.tags().size());
        for (String tag : item.tags()) {
            out.writeUTF(tag);
        }
        out.writeLong(item.createdAtMillis());
    }

    /** Reads what {@link #writeItem} wrote; {@code maxTags} bounds the tag count a damaged input could claim. */
    static Item readItem(DataInputStream in, int maxTags) throws IOException {
        String id = in.readUTF();
        String title = in.readUTF();
        String text = readLongString(in);
        int tags = in.readInt();
        if (tags < 0 || tags > maxTags || tags > 1 << 20) {
            throw new IOException("tag count " + tags);
        }
        List<String> tagList = new ArrayList<>(tags);
        for (int i = 0; i < tags; i++) {
            tagList.add(in.readUTF());
        }
        return new Item(id, title, text, tagList, in.readLong());
    }

    /** writeUTF is limited to 65,535 bytes; item text may be longer. */
    private static void writeLongString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readLongString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > EventLog.MAX_PAYLOAD_BYTES) {
            throw new IOException("string length " + length);
        }
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }
}

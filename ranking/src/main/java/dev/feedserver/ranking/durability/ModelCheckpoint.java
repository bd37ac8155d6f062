package dev.feedserver.ranking.durability;

import dev.feedserver.embeddings.store.CuckooVectorStore;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.retrieval.TrendingIndex;
import dev.feedserver.ranking.users.UserProfiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Everything events and item changes have changed in a {@link FeedModel} since it was built
 * from its dataset, written at a known event-log sequence, so that a restart can rebuild the
 * model, load this, and replay only the log after that sequence.
 *
 * <p>Contents, in order (big-endian data streams), then a CRC32C of all of it: header (magic,
 * version, sequence, dimension, initial and current catalogue sizes); the items put through the
 * API (row, metadata, vector) and the removed ones; every item's interaction counter; the
 * trending counters; each user row's id, consumed items and recent positives; the user store and
 * the cluster-affinity store (key, counters, vector); the cluster centroids; since format 2, the
 * per-item decayed event counters ({@code ItemStatistics}, the ranker's item statistics; a
 * format-1 file restores without them). Derived structures
 * (interest index, cluster membership, fresh and popular lists) are rebuilt on restore.
 *
 * <p>A checkpoint is validated whole (checksum and structure) before anything is applied, so a
 * damaged file leaves the model untouched. Stateless; the caller keeps the model quiet while
 * writing (the journal holds its lock) and restores before serving.
 */
public final class ModelCheckpoint {
    private static final int MAGIC = 0x464b4350; // "FCKP"
    /** 2 adds the per-item decayed counters (ItemStatistics); version 1 files are still read. */
    private static final int VERSION = 2;

    private ModelCheckpoint() {
    }

    /** Writes the checkpoint of {@code model} as of log sequence {@code sequence} to {@code file} (via a temporary file, fsynced). */
    public static void write(FeedModel model, long sequence, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (OutputStream raw = Files.newOutputStream(tmp);
             CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20), crc);
             DataOutputStream out = new DataOutputStream(checked)) {
            writeBody(model, sequence, out);
            out.flush();
            long value = crc.getValue();
            raw.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeBody(FeedModel model, long sequence, DataOutputStream out) throws IOException {
        ItemCatalog catalog = model.catalog();
        int dim = model.dim();
        int items = catalog.size();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(sequence);
        out.writeInt(dim);
        out.writeInt(model.initialItems());
        out.writeInt(items);

        List<Integer> put = new ArrayList<>();
        model.forEachPutRow(row -> {
            if (row < items) {
                put.add(row);
            }
        });
        out.writeInt(put.size());
        float[] vector = new float[dim];
        for (int row : put) {
            Item item = catalog.item(row);
            out.writeInt(row);
            ChangeCodec.writeItem(out, item);
            catalog.vectors().read(row, vector);
            writeFloats(out, vector);
        }
        List<Integer> removed = new ArrayList<>();
        catalog.forEachRemoved(row -> {
            if (row < items) {
                removed.add(row);
            }
        });
        out.writeInt(removed.size());
        for (int row : removed) {
            out.writeInt(row);
        }
        for (int row = 0; row < items; row++) {
            out.writeLong(catalog.vectors().interactions(row));
            out.writeLong(catalog.vectors().lastUpdateMillis(row));
        }

        TrendingIndex.State trending = model.trending().export();
        out.writeLong(trending.baseMillis());
        out.writeInt(trending.scores().length);
        for (double score : trending.scores()) {
            out.writeDouble(score);
        }

        UserProfiles users = model.users();
        int rows = users.rowCount();
        out.writeInt(rows);
        int[] recent = new int[UserProfiles.RECENT_ITEMS];
        for (int row = 0; row < rows; row++) {
            out.writeUTF(users.idOfRow(row));
            writeInts(out, users.consumed().itemsInOrder(row));
            int n = users.recent().newestFirst(row, recent);
            writeInts(out, java.util.Arrays.copyOf(recent, n));
        }
        writeStore(out, users.store());
        out.writeInt(model.clusters().clusters());
        writeStore(out, model.affinities().store());
        writeFloats(out, model.clusters().centroids());
        double[] statistics = model.statistics().export(items);
        out.writeInt(statistics.length);
        for (double v : statistics) {
            out.writeDouble(v);
        }
        out.writeInt(MAGIC);
    }

    /** A checkpoint file that fails its checksum or structure check; nothing was applied. */
    public static final class InvalidCheckpointException extends IOException {
        InvalidCheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks {@code file} whole (checksum and structure, in one read) and, only if it is sound,
     * applies it to {@code model} (a second read), which must have been built from the same
     * dataset and configuration and not have served yet. Returns the log sequence the
     * checkpoint includes.
     *
     * @throws InvalidCheckpointException when the file is damaged (the model is then untouched)
     * @throws IOException                when reading fails while applying (the model is then partly changed)
     */
    public static long restore(FeedModel model, Path file) throws IOException {
        validate(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            return applyBody(model, in);
        }
    }

    /**
     * Reads the whole file once, parsing its structure without applying anything while the
     * checksum is computed over the same bytes, then compares the stored checksum.
     */
    public static void validate(Path file) throws InvalidCheckpointException {
        try {
            long size = Files.size(file);
            if (size < 8) {
                throw new IOException("too short for a checkpoint");
            }
            CRC32C crc = new CRC32C();
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                DataInputStream body = new DataInputStream(new BufferedInputStream(
                        new CheckedInputStream(new LimitedInputStream(raw, size - 4), crc), 1 << 20));
                applyBody(null, body); // structure only
                if (body.read() != -1) {
                    throw new IOException("bytes after the end marker");
                }
                byte[] stored = raw.readNBytes(4);
                long value = ((stored[0] & 0xffL) << 24) | ((stored[1] & 0xffL) << 16) | ((stored[2] & 0xffL) << 8) | (stored[3] & 0xffL);
                if (stored.length != 4 || value != crc.getValue()) {
                    throw new IOException("checksum mismatch (damaged checkpoint)");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidCheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /** The first {@code remaining} bytes of a stream, so that what reads ahead above it cannot pass them. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** Parses the body; applies it when {@code model} is not null. */
    private static long applyBody(FeedModel model, DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a checkpoint (bad magic)");
        }
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException("checkpoint format version " + version + " is not supported (this build reads 1.." + VERSION + ")");
        }
        long sequence = in.readLong();
        int dim = in.readInt();
        int initialItems = in.readInt();
        int items = in.readInt();
        if (model != null && (dim != model.dim() || initialItems != model.initialItems())) {
            throw new IOException("checkpoint of a different model: dim " + dim + ", " + initialItems
                    + " initial items; this model has " + model.dim() + " and " + model.initialItems());
        }
        ItemCatalog catalog = model == null ? null : model.catalog();
        int put = checkCount(in.readInt(), items, "put items");
        float[] vector = new float[dim];
        for (int i = 0; i < put; i++) {
            int row = in.readInt();
            Item item = ChangeCodec.readItem(in, Integer.MAX_VALUE);
            readFloats(in, vector);
            if (model != null) {
                if (row > catalog.size()) {
                    throw new IOException("put item row " + row + " beyond the catalogue (" + catalog.size() + ")");
                }
                int got = model.upsertItem(item);
                if (got != row) {
                    throw new IOException("item " + item.id() + " restored to row " + got + ", checkpoint has " + row);
                }
                catalog.vectors().write(row, vector);
            }
        }
        int removed = checkCount(in.readInt(), items, "removed items");
        for (int i = 0; i < removed; i++) {
            int row = in.readInt();
            if (model != null) {
                model.removeItem(catalog.item(row).id());
            }
        }
        for (int row = 0; row < items; row++) {
            long interactions = in.readLong();
            long last = in.readLong();
            if (model != null) {
                catalog.vectors().setInteractions(row, interactions, last);
            }
        }
        long base = in.readLong();
        double[] scores = new double[checkCount(in.readInt(), Integer.MAX_VALUE / 8, "trending scores")];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = in.readDouble();
        }
        if (model != null) {
            model.trending().restore(new TrendingIndex.State(base, scores));
        }
        int rows = checkCount(in.readInt(), Integer.MAX_VALUE, "user rows");
        for (int row = 0; row < rows; row++) {
            String id = in.readUTF();
            int[] consumed = readInts(in);
            int[] recent = readInts(in);
            if (model != null) {
                UserProfiles users = model.users();
                int got = users.row(id);
                if (got != row) {
                    throw new IOException("user " + id + " restored to row " + got + ", checkpoint has " + row);
                }
                users.consumed().replace(row, consumed);
                users.recent().replace(row, recent);
            }
        }
        readStore(in, model == null ? null : model.users().store(), dim);
        int k = checkCount(in.readInt(), 1 << 16, "clusters");
        readStore(in, model == null ? null : model.affinities().store(), k);
        float[] centroids = new float[k * dim];
        readFloats(in, centroids);
        double[] statistics = null;
        if (version >= 2) {
            statistics = new double[checkCount(in.readInt(), Integer.MAX_VALUE / 8, "item statistics")];
            for (int i = 0; i < statistics.length; i++) {
                statistics[i] = in.readDouble();
            }
        }
        if (in.readInt() != MAGIC) {
            throw new IOException("checkpoint end marker missing");
        }
        if (model != null) {
            model.restoreIndexes(centroids, k);
            if (statistics != null) {
                model.statistics().restore(statistics);
            }
        }
        return sequence;
    }

    private static void writeStore(DataOutputStream out, CuckooVectorStore store) throws IOException {
        IOException[] failure = new IOException[1];
        store.forEach((key, vector, interactions, last) -> {
            if (failure[0] != null) {
                return;
            }
            try {
                out.writeBoolean(true);
                out.writeLong(key);
                out.writeLong(interactions);
                out.writeLong(last);
                writeFloats(out, vector);
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.writeBoolean(false);
    }

    private static void readStore(DataInputStream in, CuckooVectorStore store, int dim) throws IOException {
        float[] vector = new float[dim];
        while (in.readBoolean()) {
            long key = in.readLong();
            long interactions = in.readLong();
            long last = in.readLong();
            readFloats(in, vector);
            if (store != null) {
                store.put(key, vector, last, interactions);
            }
        }
    }

    private static int checkCount(int count, int max, String what) throws IOException {
        if (count < 0 || count > max) {
            throw new IOException("implausible count of " + what + ": " + count);
        }
        return count;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static void readFloats(DataInputStream in, float[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[checkCount(in.readInt(), 1 << 24, "list entries")];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}

package dev.feedserver.ranking.durability;

import dev.feedserver.embeddings.store.StoreFullException;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * The only way the API changes the live model: each change (an event batch, an item put or
 * removal) is appended to the {@link EventLog} and applied to the model in one critical section,
 * so the log's order is the order of application and a replay rebuilds the same state; the
 * caller is answered only once the record is durable under the log's mode. A change that cannot
 * be applied (full user store, unknown item) is refused before it is logged; one that cannot be
 * logged (disk full, read-only) is refused before it is applied.
 *
 * <p>Idempotency: an event batch may carry a key; the journal remembers the keys of applied
 * batches in a bounded {@link BatchKeys} window (written into each batch's log record, and
 * beside each checkpoint in a {@link BatchKeysFile}, so a restart rebuilds it). A batch whose key
 * is in the window is not applied again: the caller gets the first batch's count once that
 * batch is durable. A retry that arrives while the first is still waiting for its fsync waits
 * for the same fsync.
 *
 * <p>Read-your-writes: the change is applied before the call returns, so a feed request issued
 * after the response sees it.
 *
 * <p>Threading: thread-safe; changes are serialised (each takes microseconds), and the fsync wait
 * happens outside the lock, shared between concurrent callers. Lifecycle: does not own the log or
 * the model.
 */
public final class ChangeJournal {
    private static final Logger LOG = Logger.getLogger(ChangeJournal.class.getName());

    private final FeedModel model;
    private final InteractionApplier applier;
    private final EventLog log;
    private final BatchKeys keys;
    // Fair: with more writers than cores, an unfair monitor let some writers wait 100+ ms while
    // others barged in again and again (bench ingest); FIFO hand-off bounds the wait.
    private final java.util.concurrent.locks.ReentrantLock order = new java.util.concurrent.locks.ReentrantLock(true);

    /** A journal with the default key window ({@link BatchKeys#defaults()}). */
    public ChangeJournal(FeedModel model, InteractionApplier applier, EventLog log) {
        this(model, applier, log, BatchKeys.defaults());
    }

    public ChangeJournal(FeedModel model, InteractionApplier applier, EventLog log, BatchKeys keys) {
        this.model = model;
        this.applier = applier;
        this.log = log;
        this.keys = keys;
    }

    /** What {@link #submitEvents(List, String)} did: the events accepted, and whether the key named a batch applied before. */
    public record Submitted(int accepted, boolean duplicate) {
    }

    /** What a replay did. */
    public record ReplayResult(long records, long events, long skippedEvents, long lastSequence, long millis) {
    }

    /** What a recovery did: the checkpoint used (null: none) and the replay after it. */
    public record RecoveryResult(Path checkpoint, long checkpointSequence, long checkpointMillis, ReplayResult replay) {
    }

    /**
     * Start-up recovery: restores the newest checkpoint in {@code dir} that validates (a damaged
     * one is skipped with a loud warning, falling back to the one before), then replays the log
     * after the sequence it includes. Without a usable checkpoint the whole log is replayed,
     * which needs the log to start at sequence 1.
     */
    public RecoveryResult recover(Path dir) throws IOException {
        order.lock();
        model.setBackgroundRebuilds(false);
        try {
            Path used = null;
            long sequence = 0;
            long start = System.nanoTime();
            for (Path candidate : checkpoints(dir).reversed()) {
                try {
                    sequence = ModelCheckpoint.restore(model, candidate); // validates before applying
                } catch (ModelCheckpoint.InvalidCheckpointException e) {
                    LOG.severe("checkpoint " + candidate + " is unusable (" + e.getMessage() + "); trying an older one");
                    continue;
                }
                used = candidate;
                break;
            }
            if (used != null) {
                restoreKeys(used, sequence);
            }
            long checkpointMillis = (System.nanoTime() - start) / 1_000_000;
            long first = log.firstSequence();
            if (first > sequence + 1) {
                throw new LogCorruptException("the event log starts at sequence " + first + " but no usable checkpoint covers "
                        + "sequences up to " + (first - 1) + (used == null ? "" : " (newest usable: " + used + ")"));
            }
            ReplayResult replay = replayLocked(sequence);
            return new RecoveryResult(used, sequence, checkpointMillis, replay);
        } finally {
            model.setBackgroundRebuilds(true);
            order.unlock();
        }
    }

    private void restoreKeys(Path checkpoint, long checkpointSequence) {
        Path file = BatchKeysFile.of(checkpoint);
        if (!java.nio.file.Files.exists(file)) {
            LOG.warning("no idempotency keys file " + file + " beside the checkpoint (written before keys existed?): "
                    + "keys of batches before it are forgotten");
            return;
        }
        try {
            long written = BatchKeysFile.read(file, keys);
            if (written != checkpointSequence) {
                // Harmless for correctness (replay adds the keys after the checkpoint), but a sign of a mixed-up directory.
                LOG.warning("idempotency keys file " + file + " was written at sequence " + written + " but its checkpoint is at "
                        + checkpointSequence);
            }
        } catch (IOException e) {
            LOG.severe("idempotency keys file is unusable (" + e.getMessage() + "); keys of batches before the checkpoint are forgotten");
        }
    }

    /**
     * Writes a checkpoint of the model as of the last logged change into {@code dir} (changes
     * wait meanwhile; feeds do not), keeps it and the one before, and deletes log segments the
     * older kept checkpoint covers. Returns the file written.
     */
    public Path checkpoint(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        Path file;
        order.lock();
        try {
            long sequence = log.nextSequence() - 1;
            file = dir.resolve(String.format("checkpoint-%020d.ckp", sequence));
            // keys first: a checkpoint on disk always has its keys file
            BatchKeysFile.write(keys, sequence, BatchKeysFile.of(file));
            ModelCheckpoint.write(model, sequence, file);
        } finally {
            order.unlock();
        }
        List<Path> all = checkpoints(dir);
        for (int i = 0; i + 2 < all.size(); i++) {
            java.nio.file.Files.deleteIfExists(all.get(i));
            java.nio.file.Files.deleteIfExists(BatchKeysFile.of(all.get(i)));
        }
        List<Path> kept = checkpoints(dir);
        if (kept.size() >= 2) {
            log.deleteSegmentsUpTo(sequenceOf(kept.get(kept.size() - 2)));
        }
        return file;
    }

    /** Checkpoint files in {@code dir}, oldest first. */
    public static List<Path> checkpoints(Path dir) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{20}\\.ckp")).sorted().toList();
        }
    }

    private static long sequenceOf(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return Long.parseLong(name.substring("checkpoint-".length(), name.length() - ".ckp".length()));
    }

    /**
     * Applies every logged change to the model, in order: run once at start, before serving,
     * over a model built from the same dataset and configuration. Events that can no longer be
     * applied (a full store) are skipped and counted, with a warning.
     */
    public ReplayResult replay() throws IOException {
        order.lock();
        try {
            return replayLocked(0);
        } finally {
            order.unlock();
        }
    }

    private ReplayResult replayLocked(long afterSequence) throws IOException {
        long start = System.nanoTime();
        long[] counts = new long[4];
        log.replay(afterSequence, (sequence, payload) -> {
            Change change = ChangeCodec.decode(payload);
            counts[0]++;
            counts[3] = sequence;
            switch (change) {
                case Change.EventBatch batch -> {
                    if (batch.batchId() != null) {
                        keys.remember(batch.batchId(), new BatchKeys.Entry(sequence, batch.events().size(), batch.atMillis()));
                    }
                    try {
                        applier.applyAll(batch.events());
                        counts[1] += batch.events().size();
                    } catch (StoreFullException | IllegalArgumentException e) {
                        counts[2] += batch.events().size();
                        LOG.warning("replay: batch " + sequence + " skipped: " + e.getMessage());
                    }
                }
                case Change.ItemPut put -> model.upsertItem(put.item());
                case Change.ItemRemove remove -> model.removeItem(remove.itemId());
            }
        });
        return new ReplayResult(counts[0], counts[1], counts[2], counts[3], (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Logs and applies a validated batch, then waits until it is durable.
     *
     * @throws IllegalArgumentException when an event names an item that is not (or no longer) in the
     *                                  catalogue (nothing logged or applied)
     * @throws StoreFullException when the batch would add users to a full store (nothing logged or applied)
     * @throws IOException        when the log cannot take it (nothing applied) or the fsync fails
     *                            and cannot be repaired (applied and kept in memory; the log writes it
     *                            again at its next repair, so the caller must not acknowledge, and a
     *                            retry is safe only with a batch key)
     */
    public void submitEvents(List<Interaction> events) throws IOException {
        submitEvents(events, null);
    }

    /**
     * As {@link #submitEvents(List)}, with an optional idempotency key ({@link BatchKeys#isValidKey};
     * null for none). When the key names a batch still in the window, nothing is applied or
     * logged: the call waits until that batch is durable and returns its count as a duplicate.
     * The key is remembered only once the batch is logged and applied, so a batch refused
     * (unknown item, full store, log unavailable) can be retried with the same key.
     *
     * @throws IOException as {@link #submitEvents(List)}, and for a duplicate whose batch cannot be made durable
     */
    public Submitted submitEvents(List<Interaction> events, String batchId) throws IOException {
        long now = System.currentTimeMillis();
        byte[] record = ChangeCodec.encode(new Change.EventBatch(events, batchId, batchId == null ? 0 : now));
        BatchKeys.Entry earlier;
        long sequence = -1;
        order.lock();
        try {
            earlier = batchId == null ? null : keys.find(batchId);
            if (earlier == null) {
                // Removals go through this lock too, so an item found here is still there when applied;
                // the HTTP layer validated earlier, but a DELETE may have come in between.
                for (Interaction event : events) {
                    if (model.catalog().rowOf(event.itemId()) < 0) {
                        throw new IllegalArgumentException("unknown item '" + event.itemId() + "'");
                    }
                }
                applier.reserve(events);
                sequence = log.append(record);
                for (Interaction event : events) {
                    applier.apply(event);
                }
                if (batchId != null) {
                    keys.remember(batchId, new BatchKeys.Entry(sequence, events.size(), now));
                }
            }
        } finally {
            order.unlock();
        }
        if (earlier != null) {
            log.awaitDurable(earlier.sequence()); // a retry racing the first attempt waits for the same fsync
            return new Submitted(earlier.accepted(), true);
        }
        log.awaitDurable(sequence);
        return new Submitted(events.size(), false);
    }

    /** The window of remembered batch keys. */
    public BatchKeys batchKeys() {
        return keys;
    }

    /** Logs and applies an item put; returns the item's row. */
    public int putItem(Item item) throws IOException {
        byte[] record = ChangeCodec.encode(new Change.ItemPut(item));
        long sequence;
        int row;
        order.lock();
        try {
            sequence = log.append(record);
            row = model.upsertItem(item);
        } finally {
            order.unlock();
        }
        log.awaitDurable(sequence);
        return row;
    }

    /** Logs and applies an item removal; returns the removed row, or -1 (nothing logged) when there is no such item. */
    public int removeItem(String itemId) throws IOException {
        long sequence;
        int row;
        order.lock();
        try {
            if (model.catalog().rowOf(itemId) < 0) {
                return -1;
            }
            sequence = log.append(ChangeCodec.encode(new Change.ItemRemove(itemId)));
            row = model.removeItem(itemId);
        } finally {
            order.unlock();
        }
        log.awaitDurable(sequence);
        return row;
    }

    public EventLog log() {
        return log;
    }
}

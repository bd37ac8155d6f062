package dev.feedserver.ranking.durability;

import dev.feedserver.embeddings.store.StoreFullException;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The only way the API changes the live model: each change (an event batch, an item put or
 * removal) is appended to the {@link EventLog} and applied to the model in one critical section,
 * so the log's order is the order of application and a replay rebuilds the same state; the
 * caller is answered only once the record is durable under the log's mode. A change that cannot
 * be applied (full user store, unknown item) is refused before it is logged; one that cannot be
 * logged (disk full, read-only) is refused before it is applied.
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
    private final AtomicLong eventsLogged = new AtomicLong();
    // Fair: with more writers than cores, an unfair monitor let some writers wait 100+ ms while
    // others barged in again and again (bench ingest); FIFO hand-off bounds the wait.
    private final java.util.concurrent.locks.ReentrantLock order = new java.util.concurrent.locks.ReentrantLock(true);

    public ChangeJournal(FeedModel model, InteractionApplier applier, EventLog log) {
        this.model = model;
        this.applier = applier;
        this.log = log;
    }

    /** What a replay did. */
    public record ReplayResult(long records, long events, long skippedEvents, long lastSequence, long millis) {
    }

    /**
     * Applies every logged change to the model, in order: run once at start, before serving,
     * over a model built from the same dataset and configuration. Events that can no longer be
     * applied (a full store) are skipped and counted, with a warning.
     */
    public ReplayResult replay() throws IOException {
        order.lock();
        try {
            return replayLocked();
        } finally {
            order.unlock();
        }
    }

    private ReplayResult replayLocked() throws IOException {
        long start = System.nanoTime();
        long[] counts = new long[4];
        log.replay(0, (sequence, payload) -> {
            Change change = ChangeCodec.decode(payload);
            counts[0]++;
            counts[3] = sequence;
            switch (change) {
                case Change.EventBatch batch -> {
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
        eventsLogged.addAndGet(counts[1]);
        return new ReplayResult(counts[0], counts[1], counts[2], counts[3], (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Logs and applies a validated batch, then waits until it is durable.
     *
     * @throws StoreFullException when the batch would add users to a full store (nothing logged or applied)
     * @throws IOException        when the log cannot take it (nothing applied) or the fsync fails
     *                            (applied and written, durability unknown: the caller must not acknowledge)
     */
    public void submitEvents(List<Interaction> events) throws IOException {
        byte[] record = ChangeCodec.encode(new Change.EventBatch(events));
        long sequence;
        order.lock();
        try {
            applier.reserve(events);
            sequence = log.append(record);
            for (Interaction event : events) {
                applier.apply(event);
            }
        } finally {
            order.unlock();
        }
        eventsLogged.addAndGet(events.size());
        log.awaitDurable(sequence);
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

    /** Events logged since start (replayed ones included). */
    public long eventsLogged() {
        return eventsLogged.get();
    }

    public EventLog log() {
        return log;
    }
}

package dev.feedserver.ranking.durability;

import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.learning.Interaction;
import java.util.List;

/**
 * One durable change to the live model, as logged and replayed, in the order it was applied:
 * a batch of interactions, an item put, or an item removal. Immutable.
 */
public sealed interface Change {
    /**
     * A validated batch of interactions, applied all together.
     *
     * @param batchId    the client's idempotency key ({@link BatchKeys#isValidKey}), or null for none
     * @param atMillis   server time the batch was accepted, which ages its key out of the
     *                   {@link BatchKeys} window; 0 when the batch has no key
     */
    record EventBatch(List<Interaction> events, String batchId, long atMillis) implements Change {
        public EventBatch {
            events = List.copyOf(events);
            if (batchId != null && !BatchKeys.isValidKey(batchId)) {
                throw new IllegalArgumentException("invalid batch id");
            }
        }

        /** A batch without an idempotency key. */
        public EventBatch(List<Interaction> events) {
            this(events, null, 0);
        }
    }

    /** An item created or replaced through the API. */
    record ItemPut(Item item) implements Change {
    }

    /** An item removed through the API. */
    record ItemRemove(String itemId) implements Change {
    }
}

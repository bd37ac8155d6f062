package dev.feedserver.ranking.durability;

import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.learning.Interaction;
import java.util.List;

/**
 * One durable change to the live model, as logged and replayed, in the order it was applied:
 * a batch of interactions, an item put, or an item removal. Immutable.
 */
public sealed interface Change {
    /** A validated batch of interactions, applied all together. */
    record EventBatch(List<Interaction> events) implements Change {
        public EventBatch {
            events = List.copyOf(events);
        }
    }

    /** An item created or replaced through the API. */
    record ItemPut(Item item) implements Change {
    }

    /** An item removed through the API. */
    record ItemRemove(String itemId) implements Change {
    }
}

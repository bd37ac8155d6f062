package dev.feedserver.ranking.learning;

/**
 * Told of every interaction {@link InteractionApplier} has applied, on the applying thread (under
 * the journal's lock when events come through the journal): keep it cheap and non-throwing.
 */
@FunctionalInterface
public interface InteractionListener {
    /**
     * @param event  the interaction
     * @param item   its item's row
     * @param weight its signed drift weight ({@link EventType#weight}; 0 for a view or a short dwell)
     */
    void applied(Interaction event, int item, float weight);
}

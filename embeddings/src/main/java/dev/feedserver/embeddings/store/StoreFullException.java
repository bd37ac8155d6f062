package dev.feedserver.embeddings.store;

/**
 * An insert found no free slot within the bounded displacement search: the table is at its
 * configured capacity. The entry was not stored and nothing else changed. Callers answer 503
 * (the API) and count it (a metric); it is never a crash or a silent drop.
 */
public final class StoreFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreFullException(String message) {
        super(message);
    }
}

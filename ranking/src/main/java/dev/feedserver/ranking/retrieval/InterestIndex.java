package dev.feedserver.ranking.retrieval;

/**
 * Finds the items whose vectors have the highest inner product with a query (the user vector):
 * the interest source of the feed. Implementations differ in how exact and how fast they are
 * ({@link ExactInterestIndex} scans everything; an IVF index probes the nearest
 * partitions); all read the catalogue's vector table, identified by dense item row.
 *
 * <p>Threading: implementations are thread-safe; {@link #search} may run on many threads while
 * {@link #add} and {@link #remove} run on another. Lifecycle: an index lives as long as the
 * vector table it reads; it owns no resource that needs closing beyond garbage collection.
 */
public interface InterestIndex {

    /** Short name for logs, metrics and benchmark tables (for example {@code "ivf-int8"}). */
    String name();

    /**
     * Offers the best non-excluded items to {@code top} (at most {@code top.capacity()} end up
     * there) scored by their inner product with {@code query}. Approximate indexes may miss some
     * of the true best items; the scores they offer are exact float inner products.
     */
    void search(float[] query, ItemFilter filter, TopK top);

    /**
     * Makes item {@code item} (its vector already in the table) searchable, or re-indexes it after
     * its vector changed. Visible to searches that start after this returns.
     */
    void add(int item);

    /** Stops returning {@code item} from searches that start after this returns. */
    void remove(int item);
}

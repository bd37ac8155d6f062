package dev.feedserver.ranking.durability;

/**
 * When an appended event batch counts as durable, i.e. when {@code POST /v1/events} may answer.
 * A killed process never loses a written batch in any mode (the bytes are in the kernel's page
 * cache); the modes differ on power loss or a kernel crash:
 */
public enum Durability {
    /**
     * Acknowledge after {@code fsync}: nothing acknowledged is ever lost. Concurrent batches
     * share one {@code fsync} (group commit), so throughput grows with concurrency.
     */
    FSYNC,
    /**
     * Acknowledge after the write; a background thread {@code fsync}s every interval. Power loss
     * loses at most the last interval of acknowledged batches.
     */
    INTERVAL,
    /**
     * Acknowledge after the write; {@code fsync} only when a segment is closed. Power loss loses
     * whatever the kernel had not yet written back (typically up to ~30 s).
     */
    NONE
}

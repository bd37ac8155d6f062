package dev.feedserver.embeddings.store;

/**
 * Metadata of one stored entry.
 *
 * @param interactions updates applied to the entry (drifts and puts)
 * @param lastUpdateMillis time of the last update, epoch milliseconds, second resolution
 */
public record EntryMeta(long interactions, long lastUpdateMillis) {
}

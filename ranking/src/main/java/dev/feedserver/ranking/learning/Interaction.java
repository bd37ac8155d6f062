package dev.feedserver.ranking.learning;

/**
 * One validated interaction event.
 *
 * @param userId who
 * @param itemId which item (must exist in the catalogue)
 * @param type what happened
 * @param dwellMillis dwell time, 0 when not reported
 * @param timeMillis when, epoch milliseconds
 */
public record Interaction(String userId, String itemId, EventType type, long dwellMillis, long timeMillis) {
}

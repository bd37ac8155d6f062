package dev.feedserver.ranking.durability;

import java.time.Duration;

/**
 * How much event-log history is kept once a checkpoint no longer needs it. Only segments whose
 * every record is covered by a checkpoint may ever be deleted (deleting anything else would lose
 * acknowledged events); of those, the oldest go first while the log is over {@code maxBytes} in
 * total (when set) or the segment was last written more than {@code maxAge} ago (when set). A
 * log whose uncovered part alone exceeds the budget keeps all of it until a checkpoint covers it.
 *
 * <p>{@link #NONE} (both zero, the default) keeps no covered segment: the log stays as short as
 * recovery allows. A budget keeps recent history for audits, debugging, or rebuilding a model
 * from events. Immutable.
 *
 * @param maxBytes most bytes of segments to keep, {@code >= 0}; 0 sets no size bound (unless
 *                 {@code maxAge} is zero too)
 * @param maxAge   newest-first age bound on covered segments, by their last write; zero sets no
 *                 age bound (unless {@code maxBytes} is zero too)
 */
public record LogRetention(long maxBytes, Duration maxAge) {
    /** Keep no segment a checkpoint covers. */
    public static final LogRetention NONE = new LogRetention(0, Duration.ZERO);

    public LogRetention {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be zero or positive, got " + maxAge);
        }
    }

    /** Whether a covered segment written at {@code lastWriteMillis} goes, with the log at {@code totalBytes}. */
    boolean deletes(long totalBytes, long lastWriteMillis, long nowMillis) {
        if (maxBytes == 0 && maxAge.isZero()) {
            return true;
        }
        return (maxBytes > 0 && totalBytes > maxBytes) || (!maxAge.isZero() && nowMillis - lastWriteMillis > maxAge.toMillis());
    }
}

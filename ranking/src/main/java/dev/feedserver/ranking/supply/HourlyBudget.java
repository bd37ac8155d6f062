package dev.feedserver.ranking.supply;

/**
 * A sliding-window budget: at most {@code limit} spends in any window of {@code windowMillis}.
 * Keeps the time of each of the last {@code limit} spends in a ring; a spend frees its slot
 * {@code windowMillis} after it happened. Time is whatever the caller passes (an injectable
 * clock); a clock that steps back only keeps slots taken longer.
 *
 * <p>Threading: not thread-safe; its owner serialises calls. Lifecycle: heap only.
 */
final class HourlyBudget {
    private final long windowMillis;
    private final long[] spentAt;
    private int oldest;
    private int count;

    HourlyBudget(int limit, long windowMillis) {
        if (limit < 0 || windowMillis < 1) {
            throw new IllegalArgumentException("budget limit must be >= 0 and window >= 1 ms, got " + limit + ", " + windowMillis);
        }
        this.windowMillis = windowMillis;
        this.spentAt = new long[limit];
    }

    /** Spends still allowed at {@code nowMillis}. */
    int available(long nowMillis) {
        while (count > 0 && nowMillis - spentAt[oldest] >= windowMillis) {
            oldest = (oldest + 1) % spentAt.length;
            count--;
        }
        return spentAt.length - count;
    }

    /** Records one spend at {@code nowMillis}; throws when none is {@link #available}. */
    void spend(long nowMillis) {
        if (available(nowMillis) == 0) {
            throw new IllegalStateException("budget of " + spentAt.length + " per " + windowMillis + " ms is spent");
        }
        spentAt[(oldest + count) % spentAt.length] = nowMillis;
        count++;
    }
}

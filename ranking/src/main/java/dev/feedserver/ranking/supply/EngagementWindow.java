package dev.feedserver.ranking.supply;

import dev.feedserver.ranking.catalog.ItemStatistics;
import java.time.Duration;

/**
 * Which of the item counters' decay windows engagement is measured over: the event path keeps
 * every item's events decayed with time constants of one, eight and 64 hours
 * ({@link ItemStatistics}); supply planning reads one of them.
 */
public enum EngagementWindow {
    ONE_HOUR(Duration.ofHours(1)),
    EIGHT_HOURS(Duration.ofHours(8)),
    SIXTY_FOUR_HOURS(Duration.ofHours(64));

    private static final int WINDOWS = ItemStatistics.COUNTERS / ItemStatistics.Kind.values().length;

    private final Duration timeConstant;

    EngagementWindow(Duration timeConstant) {
        this.timeConstant = timeConstant;
    }

    /** The decay time constant: a count falls to 1/e of itself after this long. */
    public Duration timeConstant() {
        return timeConstant;
    }

    /** Index of {@code kind}'s counter for this window in {@link ItemStatistics#read}'s output (kind-major). */
    int slot(ItemStatistics.Kind kind) {
        return kind.ordinal() * WINDOWS + ordinal();
    }
}

package dev.feedserver.ranking.rank;

import java.util.Locale;

/**
 * The ranker's objectives, one output head each. Labels come from what happened after an
 * impression: a click (any interaction), a like (rated 4 stars or more), a long dwell (4.5 or
 * more: the strongest engagement the data shows), negative feedback (2 stars or less, a hide).
 */
public enum Objective {
    CLICK, LIKE, LONG_DWELL, NEGATIVE;

    /** Heads in output order. */
    public static final int COUNT = values().length;

    /** The wire and file name, e.g. {@code long_dwell}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; null when unknown. */
    public static Objective fromWire(String name) {
        for (Objective o : values()) {
            if (o.wireName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** Bit of this objective in a label mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /**
     * The label mask of an interaction with {@code rating} stars (0 = implicit, no rating): click
     * always; like, long dwell and negative by the thresholds above.
     */
    public static int labelsOf(float rating) {
        int mask = CLICK.bit();
        if (rating > 0f) {
            if (rating >= 4.0f) {
                mask |= LIKE.bit();
            }
            if (rating >= 4.5f) {
                mask |= LONG_DWELL.bit();
            }
            if (rating <= 2.0f) {
                mask |= NEGATIVE.bit();
            }
        }
        return mask;
    }
}

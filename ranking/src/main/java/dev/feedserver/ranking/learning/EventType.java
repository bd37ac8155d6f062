package dev.feedserver.ranking.learning;

import java.util.Locale;

/**
 * Kinds of interaction a client reports, with the signed weight each applies to the user's drift
 * toward the item: positive pulls the user vector toward the item, negative pushes it away, zero
 * only counts. A dwell counts as positive only when it lasted at least the significant-dwell
 * threshold.
 */
public enum EventType {
    CLICK(1.0f),
    LIKE(1.0f),
    SHARE(1.0f),
    DWELL(1.0f),
    VIEW(0f),
    SKIP(-0.2f),
    HIDE(-0.5f);

    private final float weight;

    EventType(float weight) {
        this.weight = weight;
    }

    /** Signed drift weight of this event, given its dwell time. */
    public float weight(long dwellMillis, long significantDwellMillis) {
        if (this == DWELL) {
            return dwellMillis >= significantDwellMillis ? weight : 0f;
        }
        return weight;
    }

    /** The wire name, e.g. {@code "click"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; returns null when unknown. */
    public static EventType fromWire(String name) {
        for (EventType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}

package dev.feedserver.ranking.learning;

import dev.feedserver.ranking.feed.FeedModel;

/**
 * Applies interactions to the live model the moment they arrive: drifts the user vector toward
 * (or away from) the item's point in user space ({@link FeedModel#itemToUserScale()} times the
 * item vector) by {@code driftRate * weight(type)}, marks the item consumed for that
 * user, and counts a positive interaction toward the item's popularity. The next feed request
 * of that user sees the change.
 *
 * <p>Threading: thread-safe; updates to one user row are serialised by the vector table.
 */
public final class InteractionApplier {
    private final FeedModel model;
    private final LearningConfig config;
    private final ThreadLocal<float[]> itemVector;

    public InteractionApplier(FeedModel model, LearningConfig config) {
        this.model = model;
        this.config = config;
        this.itemVector = ThreadLocal.withInitial(() -> new float[model.dim()]);
    }

    public LearningConfig config() {
        return config;
    }

    /**
     * Applies one interaction. The item must exist (callers validate whole batches first, so a
     * missing item here is a programming error).
     */
    public void apply(Interaction event) {
        int item = model.catalog().rowOf(event.itemId());
        if (item < 0) {
            throw new IllegalArgumentException("unknown item " + event.itemId());
        }
        int user = model.users().getOrCreate(event.userId());
        float weight = event.type().weight(event.dwellMillis(), config.significantDwellMillis());
        if (weight != 0f) {
            float[] target = itemVector.get();
            model.catalog().vectors().read(item, target);
            float scale = model.itemToUserScale();
            for (int k = 0; k < target.length; k++) {
                target[k] *= scale;
            }
            model.users().vectors().drift(user, target, config.driftRate() * weight, event.timeMillis());
        } else {
            model.users().vectors().recordInteraction(user, event.timeMillis());
        }
        if (weight > 0f) {
            model.catalog().vectors().recordInteraction(item, event.timeMillis());
        }
        model.users().consumed().add(user, item);
    }
}

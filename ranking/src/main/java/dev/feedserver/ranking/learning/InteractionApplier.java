package dev.feedserver.ranking.learning;

import dev.feedserver.ranking.catalog.ItemStatistics;
import dev.feedserver.embeddings.Vectors;
import dev.feedserver.embeddings.store.KeyHash;
import dev.feedserver.embeddings.store.StoreFullException;
import dev.feedserver.ranking.feed.FeedModel;
import java.util.List;

/**
 * Applies interactions to the live model the moment they arrive: the user's unit vector drifts
 * toward (or away from) the item's direction, {@code u <- normalise((1 - r) u + r item/|item|)}
 * with {@code r = driftRate * weight(type)} in one atomic store update, and the user's cluster
 * affinities drift the same way toward the item's latent cluster; the item becomes
 * consumed for the user; a positive event counts toward the item's popularity and trending score. The next feed
 * request of that user sees the change. A {@link #listen listener} (the ranker's online
 * calibration) is then told of the event on the applying thread.
 *
 * <p>Threading: thread-safe; updates to one user are atomic in the store.
 */
public final class InteractionApplier {
    private final FeedModel model;
    private final LearningConfig config;
    private final ThreadLocal<float[]> itemVector;
    private volatile InteractionListener listener;

    public InteractionApplier(FeedModel model, LearningConfig config) {
        this.model = model;
        this.config = config;
        this.itemVector = ThreadLocal.withInitial(() -> new float[model.dim()]);
    }

    /** Tells {@code next} (null: nobody) of every interaction applied from now on. */
    public void listen(InteractionListener next) {
        this.listener = next;
    }

    public LearningConfig config() {
        return config;
    }

    /**
     * Applies a validated batch: first reserves a store entry for every user in it (so a full
     * store rejects the batch with {@link StoreFullException} before any event is applied), then
     * applies each event in order.
     */
    public void applyAll(List<Interaction> events) {
        reserve(events);
        for (Interaction event : events) {
            apply(event);
        }
    }

    /**
     * Reserves a store entry for every user of {@code events}, so that applying them cannot fail
     * on a full store; throws {@link StoreFullException} (entries reserved so far stay, empty).
     */
    public void reserve(List<Interaction> events) {
        long now = System.currentTimeMillis();
        for (Interaction event : events) {
            model.users().store().createIfAbsent(KeyHash.keyOf(event.userId()), now);
            model.affinities().reserve(event.userId(), now);
        }
    }

    /**
     * Applies one interaction. The item must exist (callers validate whole batches first, so a
     * missing item here is a programming error).
     *
     * @throws StoreFullException when the user is new and the user store is full
     */
    public void apply(Interaction event) {
        int item = model.catalog().rowOf(event.itemId());
        if (item < 0) {
            throw new IllegalArgumentException("unknown item " + event.itemId());
        }
        long user = KeyHash.keyOf(event.userId());
        float weight = event.type().weight(event.dwellMillis(), config.significantDwellMillis());
        if (weight != 0f) {
            float[] target = itemVector.get();
            model.catalog().vectors().read(item, target);
            Vectors.normalise(target);
            model.users().store().drift(user, target, config.driftRate() * weight, event.timeMillis());
            int cluster = model.clusters().clusterOf(item);
            if (cluster >= 0) {
                model.affinities().update(event.userId(), cluster, config.driftRate() * weight, event.timeMillis());
            }
        } else {
            model.users().store().touch(user, event.timeMillis());
        }
        model.statistics().record(item, weight > 0f ? ItemStatistics.Kind.POSITIVE
                : weight < 0f ? ItemStatistics.Kind.NEGATIVE : ItemStatistics.Kind.VIEW, event.timeMillis());
        if (weight > 0f) {
            model.catalog().vectors().recordInteraction(item, event.timeMillis());
            model.trending().record(item, weight, event.timeMillis());
        }
        int userRow = model.users().row(event.userId());
        model.users().consumed().add(userRow, item);
        if (weight > 0f) {
            model.users().recent().record(userRow, item);
        }
        InteractionListener l = listener;
        if (l != null) {
            l.applied(event, item, weight);
        }
    }
}

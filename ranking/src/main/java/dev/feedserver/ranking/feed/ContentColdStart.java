package dev.feedserver.ranking.feed;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.retrieval.ContentNeighbours;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Chooses the first latent vector of an item that has no interactions yet from what its text
 * says: the mean of the learned vectors of its {@code k} most content-similar items, weighted by
 * content cosine, blended with its tags' centroid ({@link ColdStartConfig}). Only rows whose
 * vectors were learned from interactions ({@link ItemCatalog#isLearned}) and are not removed
 * count as neighbours, never other cold items, so a guess is never built on a guess.
 *
 * <p>{@link #vectorFor} returns null whenever content has nothing to add (off, no encoder, a
 * catalogue above {@link ColdStartConfig#scanUpTo()}, no neighbour at or above the minimum
 * cosine): the catalogue then starts the item at its tags' centroid, exactly as without content.
 *
 * <p>Threading: thread-safe; the scan allocates per call. Lifecycle: holds nothing to free.
 */
final class ContentColdStart {
    private static final Logger LOG = Logger.getLogger(ContentColdStart.class.getName());

    private final ItemCatalog catalog;
    private final ColdStartConfig config;
    private final ContentNeighbours neighbours = new ContentNeighbours();
    private final AtomicBoolean saidTooLarge = new AtomicBoolean();

    ContentColdStart(ItemCatalog catalog, ColdStartConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    /**
     * The initial vector for {@code item} given its content {@code embedding} (null without an
     * encoder), or null for the tag centroid.
     */
    float[] vectorFor(Item item, float[] embedding, ItemContent content) {
        if (!config.enabled() || embedding == null || content.dimension() == 0) {
            return null;
        }
        int items = catalog.size();
        if (items > config.scanUpTo()) {
            if (saidTooLarge.compareAndSet(false, true)) {
                LOG.info(() -> String.format("cold start: %,d items is above the content scan limit of %,d;"
                        + " new items start at their tags' centroid from now on", items, config.scanUpTo()));
            }
            return null;
        }
        ContentNeighbours.Result found = neighbours.nearest(content, embedding, items, config.neighbours(),
                config.minSimilarity(), row -> catalog.isLearned(row) && !catalog.isRemoved(row));
        if (found.count() == 0) {
            return null;
        }
        float[] blend = contentMean(found);
        float[] tags = catalog.tagCentroid(item.tags());
        if (tags != null) {
            float w = config.contentWeight();
            for (int j = 0; j < blend.length; j++) {
                blend[j] = w * blend[j] + (1 - w) * tags[j];
            }
        }
        return blend;
    }

    /** Mean of the neighbours' learned vectors, each weighted by its (positive) cosine. */
    private float[] contentMean(ContentNeighbours.Result found) {
        int dim = catalog.dim();
        double[] sum = new double[dim];
        double weights = 0;
        float[] vector = new float[dim];
        for (int i = 0; i < found.count(); i++) {
            double weight = found.cosines()[i]; // > 0: the minimum similarity is positive
            catalog.vectors().read(found.rows()[i], vector);
            for (int j = 0; j < dim; j++) {
                sum[j] += weight * vector[j];
            }
            weights += weight;
        }
        float[] mean = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (sum[j] / weights);
        }
        return mean;
    }
}

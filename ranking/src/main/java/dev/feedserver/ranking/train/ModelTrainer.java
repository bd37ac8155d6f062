package dev.feedserver.ranking.train;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.users.UserProfiles;
import java.util.function.LongConsumer;

/**
 * Turns a dataset's interaction history into a live {@link FeedModel}: trains implicit ALS on the
 * history, loads item and user factors into the off-heap tables, seeds popularity counters and
 * consumed-item filters. Items with no history start from their tags' centroid, or are left out
 * when {@code includeColdItems} is false (offline evaluation ranks only items seen in training).
 *
 * <p>Stateless; {@link #build} may run on any thread.
 */
public final class ModelTrainer {
    private ModelTrainer() {
    }

    /** Trains factors on {@code history} (a subset of the dataset's interactions, or all of them). */
    public static Factors train(Dataset dataset, Interactions history, AlsConfig als, LongConsumer progress) {
        int n = history.size();
        int[] users = new int[n];
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = history.user(i);
            items[i] = history.item(i);
        }
        SparseRows userItems = SparseRows.of(dataset.userIds().size(), dataset.items().size(), users, items, n);
        return new ImplicitAls(als).train(userItems, progress);
    }

    /** Total progress units {@link #train} reports. */
    public static long trainingWork(Dataset dataset, AlsConfig als) {
        return (long) als.iterations() * (dataset.userIds().size() + dataset.items().size());
    }

    /** Mean norm of trained user vectors over mean norm of trained item vectors (1 when undefined). */
    static float itemToUserScale(Factors factors, long[] itemCounts, long[] userCounts) {
        double users = meanNorm(factors.users(), factors.dim(), userCounts);
        double items = meanNorm(factors.items(), factors.dim(), itemCounts);
        return users > 0 && items > 0 ? (float) (users / items) : 1f;
    }

    private static double meanNorm(float[] vectors, int dim, long[] counts) {
        double sum = 0;
        int n = 0;
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                double squares = 0;
                for (int k = 0; k < dim; k++) {
                    squares += (double) vectors[r * dim + k] * vectors[r * dim + k];
                }
                sum += Math.sqrt(squares);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Loads trained factors and the history's counters into a new live model. */
    public static FeedModel build(Dataset dataset, Interactions history, Factors factors, FeedConfig feed, boolean includeColdItems) {
        int dim = factors.dim();
        int itemCount = dataset.items().size();
        long[] itemCounts = new long[itemCount];
        long[] itemLast = new long[itemCount];
        for (int i = 0; i < history.size(); i++) {
            itemCounts[history.item(i)]++;
            itemLast[history.item(i)] = Math.max(itemLast[history.item(i)], history.timeMillis(i));
        }
        ItemCatalog catalog = new ItemCatalog(dim);
        float[] vector = new float[dim];
        for (int i = 0; i < itemCount; i++) {
            if (itemCounts[i] > 0) {
                System.arraycopy(factors.items(), i * dim, vector, 0, dim);
                catalog.learnTagCentroid(dataset.items().get(i), vector);
            }
        }
        int[] rowOfItem = new int[itemCount];
        for (int i = 0; i < itemCount; i++) {
            Item item = dataset.items().get(i);
            if (itemCounts[i] > 0) {
                System.arraycopy(factors.items(), i * dim, vector, 0, dim);
                rowOfItem[i] = catalog.upsert(item, vector);
                catalog.vectors().setInteractions(rowOfItem[i], itemCounts[i], itemLast[i]);
            } else {
                rowOfItem[i] = includeColdItems ? catalog.upsert(item, null) : -1;
            }
        }

        UserProfiles users = new UserProfiles(dim, feed.consumedPerUser());
        int userCount = dataset.userIds().size();
        long[] userCounts = new long[userCount];
        long[] userLast = new long[userCount];
        for (int u = 0; u < userCount; u++) {
            users.getOrCreate(dataset.userIds().get(u));
        }
        for (int i = 0; i < history.size(); i++) {
            int u = history.user(i);
            userCounts[u]++;
            userLast[u] = Math.max(userLast[u], history.timeMillis(i));
            users.consumed().add(u, rowOfItem[history.item(i)]);
        }
        for (int u = 0; u < userCount; u++) {
            System.arraycopy(factors.users(), u * dim, vector, 0, dim);
            users.vectors().write(u, vector);
            users.vectors().setInteractions(u, userCounts[u], userLast[u]);
        }
        return new FeedModel(catalog, users, feed.popularCandidates(), 1_000L, itemToUserScale(factors, itemCounts, userCounts));
    }
}

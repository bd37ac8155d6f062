package dev.feedserver.ranking.train;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.users.UserProfiles;
import dev.feedserver.ranking.users.UserStoreConfig;
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

    /** Loads trained factors and the history's counters into a new live model. */
    public static FeedModel build(Dataset dataset, Interactions history, Factors factors, FeedConfig feed, UserStoreConfig userStore,
                                  boolean includeColdItems) {
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

        UserProfiles users = new UserProfiles(dim, userStore.storage(), userStore.capacity(), feed.consumedPerUser());
        int userCount = dataset.userIds().size();
        long[] userCounts = new long[userCount];
        long[] userLast = new long[userCount];
        for (int i = 0; i < history.size(); i++) {
            int u = history.user(i);
            userCounts[u]++;
            userLast[u] = Math.max(userLast[u], history.timeMillis(i));
        }
        int[] rowOfUser = new int[userCount];
        for (int u = 0; u < userCount; u++) {
            String id = dataset.userIds().get(u);
            System.arraycopy(factors.users(), u * dim, vector, 0, dim);
            users.load(id, vector, userCounts[u], userLast[u]);
            rowOfUser[u] = users.row(id);
        }
        for (int i = 0; i < history.size(); i++) {
            users.consumed().add(rowOfUser[history.user(i)], rowOfItem[history.item(i)]);
        }
        FeedModel model = new FeedModel(catalog, users, feed);
        // In time order, so the recent-interest rings end with each user's newest items and the
        // decayed item counters end at the history's last moment.
        Integer[] order = new Integer[history.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(history::timeMillis));
        for (int i : order) {
            int item = rowOfItem[history.item(i)];
            model.trending().record(item, 1.0, history.timeMillis(i));
            if (item >= 0) {
                model.statistics().record(item, dev.feedserver.ranking.catalog.ItemStatistics.Kind.POSITIVE, history.timeMillis(i));
                users.recent().record(rowOfUser[history.user(i)], item);
            }
        }
        return model;
    }
}

package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Interactions;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The binary user-item matrix of the training interactions, as the baselines see it: a user
 * either has or has not interacted with an item (repeats count once). Held twice in compressed
 * rows, by user (sorted item numbers) and by item (sorted user numbers), with each item's number
 * of distinct users and the popularity order of the items seen in training.
 *
 * <p>Immutable after {@link #of}; safe to share between threads.
 */
public final class TrainMatrix {
    private final int users;
    private final int items;
    private final int[] userStart;
    private final int[] userItems;
    private final int[] itemStart;
    private final int[] itemUsers;
    private final int[] popularityOrder;

    private TrainMatrix(int users, int items, int[] userStart, int[] userItems, int[] itemStart, int[] itemUsers) {
        this.users = users;
        this.items = items;
        this.userStart = userStart;
        this.userItems = userItems;
        this.itemStart = itemStart;
        this.itemUsers = itemUsers;
        this.popularityOrder = IntStream.range(0, items).filter(i -> count(i) > 0).boxed()
                .sorted((a, b) -> count(a) != count(b) ? Integer.compare(count(b), count(a)) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Builds the matrix of {@code train} over {@code users} x {@code items} (dataset numbering). */
    public static TrainMatrix of(Interactions train, int users, int items) {
        if (users < 0 || items < 0) {
            throw new IllegalArgumentException("users and items must be >= 0, got " + users + " and " + items);
        }
        long[] pairs = new long[train.size()];
        for (int i = 0; i < pairs.length; i++) {
            int u = train.user(i);
            int item = train.item(i);
            if (u < 0 || u >= users || item < 0 || item >= items) {
                throw new IllegalArgumentException("interaction " + i + " (user " + u + ", item " + item
                        + ") is outside the " + users + " x " + items + " matrix");
            }
            pairs[i] = ((long) u << 32) | item;
        }
        Arrays.sort(pairs);
        int distinct = 0;
        for (int i = 0; i < pairs.length; i++) {
            if (i == 0 || pairs[i] != pairs[i - 1]) {
                pairs[distinct++] = pairs[i];
            }
        }
        int[] userStart = new int[users + 1];
        int[] itemStart = new int[items + 1];
        int[] userItems = new int[distinct];
        for (int i = 0; i < distinct; i++) {
            userStart[(int) (pairs[i] >>> 32) + 1]++;
            itemStart[(int) pairs[i] + 1]++;
            userItems[i] = (int) pairs[i];
        }
        Arrays.parallelPrefix(userStart, Integer::sum);
        Arrays.parallelPrefix(itemStart, Integer::sum);
        // Pairs are sorted by user, so filling item rows in this order keeps each item's users sorted.
        int[] itemUsers = new int[distinct];
        int[] fill = Arrays.copyOf(itemStart, items);
        for (int i = 0; i < distinct; i++) {
            itemUsers[fill[(int) pairs[i]]++] = (int) (pairs[i] >>> 32);
        }
        return new TrainMatrix(users, items, userStart, userItems, itemStart, itemUsers);
    }

    public int users() {
        return users;
    }

    /** Catalogue size (dataset item numbers), including items never seen in training. */
    public int items() {
        return items;
    }

    /** Number of distinct (user, item) pairs. */
    public int nonZeros() {
        return userItems.length;
    }

    /** The user's training items, ascending; a fresh copy. */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(userItems, userStart[user], userStart[user + 1]);
    }

    /** The item's training users, ascending; a fresh copy. */
    public int[] usersOf(int item) {
        return Arrays.copyOfRange(itemUsers, itemStart[item], itemStart[item + 1]);
    }

    /** Distinct training users of the item. */
    public int count(int item) {
        return itemStart[item + 1] - itemStart[item];
    }

    /** Number of items the user has in training. */
    public int countOf(int user) {
        return userStart[user + 1] - userStart[user];
    }

    /** Items seen in training, most users first, ties by item number; a fresh copy. */
    public int[] popularityOrder() {
        return popularityOrder.clone();
    }

    // Allocation-free views for the fitting loops of this package.

    int userStart(int user) {
        return userStart[user];
    }

    int userEnd(int user) {
        return userStart[user + 1];
    }

    int userItemAt(int index) {
        return userItems[index];
    }

    int itemStart(int item) {
        return itemStart[item];
    }

    int itemEnd(int item) {
        return itemStart[item + 1];
    }

    int itemUserAt(int index) {
        return itemUsers[index];
    }
}

package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The evaluation split of the brief: per user, interactions sorted by (time, item id); the last
 * 20% (rounded up, at least one) are test, and users with fewer than 5 interactions stay wholly in
 * train. Item ids that are numbers compare as numbers (MovieLens movieId).
 *
 * <p>Immutable once built.
 *
 * @param train training interactions
 * @param testByUser test item numbers per user number (empty arrays for train-only users)
 * @param replayOrder test interactions in global time order (for the online replay)
 */
public record TemporalSplit(Interactions train, int[][] testByUser, Interactions replayOrder) {
    public static final double TEST_FRACTION = 0.2;
    public static final int MIN_INTERACTIONS = 5;

    public static TemporalSplit of(Dataset dataset) {
        Interactions all = dataset.interactions();
        int users = dataset.userIds().size();
        long[] itemKey = new long[dataset.items().size()];
        for (int i = 0; i < itemKey.length; i++) {
            String id = dataset.items().get(i).id();
            try {
                itemKey[i] = Long.parseLong(id);
            } catch (NumberFormatException e) {
                itemKey[i] = i;
            }
        }
        List<List<Integer>> byUser = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            byUser.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            byUser.get(all.user(i)).add(i);
        }
        Comparator<Integer> order = Comparator.<Integer>comparingLong(all::timeMillis)
                .thenComparingLong(i -> itemKey[all.item(i)]);
        Interactions train = new Interactions(all.size());
        int[][] test = new int[users][];
        List<Integer> testRows = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            List<Integer> rows = byUser.get(u);
            rows.sort(order);
            int n = rows.size();
            int testCount = n < MIN_INTERACTIONS ? 0 : Math.max(1, (int) Math.ceil(n * TEST_FRACTION));
            int cut = n - testCount;
            for (int k = 0; k < cut; k++) {
                int i = rows.get(k);
                train.add(all.user(i), all.item(i), all.timeMillis(i), all.rating(i));
            }
            test[u] = new int[testCount];
            for (int k = cut; k < n; k++) {
                test[u][k - cut] = all.item(rows.get(k));
                testRows.add(rows.get(k));
            }
        }
        testRows.sort(Comparator.<Integer>comparingLong(all::timeMillis).thenComparingInt(all::user)
                .thenComparingLong(i -> itemKey[all.item(i)]));
        Interactions replay = new Interactions(testRows.size());
        for (int i : testRows) {
            replay.add(all.user(i), all.item(i), all.timeMillis(i), all.rating(i));
        }
        return new TemporalSplit(train, test, replay);
    }

    /** Number of users with at least one test interaction. */
    public int testUsers() {
        return (int) Arrays.stream(testByUser).filter(t -> t.length > 0).count();
    }
}

package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.retrieval.TopK;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/**
 * The item-item nearest-neighbour baseline (Deshpande and Karypis 2004): the cosine similarity of
 * two items over the binary training matrix, {@code |users(i) and users(j)| /
 * sqrt(|users(i)| |users(j)|)}; each item keeps its {@link ItemKnnConfig#neighbours()} most similar other items
 * (ties by lower item number). A user's score for item j is the sum of {@code sim(i, j)} over the
 * user's training items i that have j among their neighbours. Lists skip the user's training
 * items; when fewer than k items score, the rest of the training catalogue follows by popularity.
 *
 * <p>Immutable after {@link #fit}; {@code recommend} is safe from any number of threads.
 */
public final class ItemKnnRecommender implements Recommender {
    private static final int ITEMS_PER_TASK = 256;

    private final TrainMatrix train;
    private final int[][] neighbourItems;
    private final float[][] neighbourSimilarities;
    private final int[] popularity;

    private ItemKnnRecommender(TrainMatrix train, int[][] neighbourItems, float[][] neighbourSimilarities) {
        this.train = train;
        this.neighbourItems = neighbourItems;
        this.neighbourSimilarities = neighbourSimilarities;
        this.popularity = train.popularityOrder();
    }

    /** Total work units {@link #fit} reports: one per item. */
    public static long fitWork(TrainMatrix train) {
        return train.items();
    }

    /**
     * Computes every item's neighbours, in parallel (one worker per core); {@code progress} gets
     * the items done so far, from the calling thread.
     */
    public static ItemKnnRecommender fit(TrainMatrix train, ItemKnnConfig config, LongConsumer progress) {
        int neighbours = config.neighbours();
        int items = train.items();
        int[][] ids = new int[items][];
        float[][] similarities = new float[items][];
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int from = 0; from < items; from += ITEMS_PER_TASK) {
            int first = from;
            int last = Math.min(items, from + ITEMS_PER_TASK);
            tasks.add(() -> {
                new NeighbourSearch(train, neighbours).run(first, last, ids, similarities);
                return (long) (last - first);
            });
        }
        try (ParallelWork work = new ParallelWork(progress)) {
            work.run(tasks);
        }
        return new ItemKnnRecommender(train, ids, similarities);
    }

    /** The item's neighbours, most similar first; a fresh copy. */
    int[] neighboursOf(int item) {
        return neighbourItems[item].clone();
    }

    /** {@code sim(from, to)} if {@code to} is among {@code from}'s neighbours, else 0. */
    float similarity(int from, int to) {
        int[] ids = neighbourItems[from];
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] == to) {
                return neighbourSimilarities[from][r];
            }
        }
        return 0f;
    }

    @Override
    public int[] recommend(int user, int k) {
        if (k <= 0) {
            return new int[0];
        }
        boolean[] excluded = new boolean[train.items()];
        for (int p = train.userStart(user); p < train.userEnd(user); p++) {
            excluded[train.userItemAt(p)] = true;
        }
        float[] scores = new float[train.items()];
        int[] scored = new int[train.items()];
        int scoredCount = 0;
        for (int p = train.userStart(user); p < train.userEnd(user); p++) {
            int item = train.userItemAt(p);
            int[] ids = neighbourItems[item];
            float[] sims = neighbourSimilarities[item];
            for (int r = 0; r < ids.length; r++) {
                int j = ids[r];
                if (!excluded[j]) {
                    if (scores[j] == 0f) { // similarities are > 0, so 0 means not yet scored
                        scored[scoredCount++] = j;
                    }
                    scores[j] += sims[r];
                }
            }
        }
        TopK top = new TopK(k);
        for (int s = 0; s < scoredCount; s++) {
            top.offer(scored[s], scores[scored[s]]);
        }
        return RankedList.topThenFill(top, k, excluded, popularity);
    }

    /** One worker's scratch: co-occurrence counts with the current item, and its best neighbours. */
    private static final class NeighbourSearch {
        private final TrainMatrix train;
        private final int[] coCounts;
        private final int[] touched;
        private final TopK top;
        private final int[] bestIds;
        private final float[] bestSimilarities;

        NeighbourSearch(TrainMatrix train, int neighbours) {
            this.train = train;
            this.coCounts = new int[train.items()];
            this.touched = new int[train.items()];
            this.top = new TopK(neighbours);
            this.bestIds = new int[neighbours];
            this.bestSimilarities = new float[neighbours];
        }

        void run(int first, int last, int[][] ids, float[][] similarities) {
            for (int i = first; i < last; i++) {
                int touchedCount = 0;
                for (int p = train.itemStart(i); p < train.itemEnd(i); p++) {
                    int u = train.itemUserAt(p);
                    for (int q = train.userStart(u); q < train.userEnd(u); q++) {
                        int j = train.userItemAt(q);
                        if (coCounts[j]++ == 0) {
                            touched[touchedCount++] = j;
                        }
                    }
                }
                double countI = train.count(i);
                for (int t = 0; t < touchedCount; t++) {
                    int j = touched[t];
                    if (j != i) {
                        top.offer(j, (float) (coCounts[j] / Math.sqrt(countI * train.count(j))));
                    }
                    coCounts[j] = 0;
                }
                int kept = top.drainDescending(bestIds, bestSimilarities);
                ids[i] = java.util.Arrays.copyOf(bestIds, kept);
                similarities[i] = java.util.Arrays.copyOf(bestSimilarities, kept);
            }
        }
    }
}

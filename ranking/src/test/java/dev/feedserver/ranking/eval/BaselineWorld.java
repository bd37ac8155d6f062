package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import java.util.Map;
import java.util.SplittableRandom;

/** A small synthetic world split by the protocol, and the NDCG@20 a random ranking gets on it. */
final class BaselineWorld {
    static final Dataset WORLD = SyntheticWorld.generate(new SyntheticWorldSpec(11, 400, 300, 6, 30), n -> { });
    static final TemporalSplit SPLIT = TemporalSplit.of(WORLD);
    static final TrainMatrix TRAIN = TrainMatrix.of(SPLIT.train(), WORLD.userIds().size(), WORLD.items().size());

    private BaselineWorld() {
    }

    static double ndcg20(Recommender recommender) {
        Map<String, Double> metrics = OfflineEvaluator.evaluate(recommender, SPLIT, done -> { });
        return metrics.get("ndcg@20");
    }

    /**
     * Mean NDCG@20 of uniformly shuffled training catalogues (minus the user's own items) over a
     * few seeds: about 0.03 on this world, where item-kNN and EASE reach about 0.12.
     */
    static double randomNdcg20() {
        double sum = 0;
        int seeds = 5;
        for (int seed = 0; seed < seeds; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            sum += ndcg20((user, k) -> {
                boolean[] own = new boolean[TRAIN.items()];
                for (int item : TRAIN.itemsOf(user)) {
                    own[item] = true;
                }
                int[] candidates = java.util.stream.IntStream.of(TRAIN.popularityOrder()).filter(i -> !own[i]).toArray();
                for (int i = candidates.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = candidates[i];
                    candidates[i] = candidates[j];
                    candidates[j] = t;
                }
                return java.util.Arrays.copyOf(candidates, Math.min(k, candidates.length));
            });
        }
        return sum / seeds;
    }
}

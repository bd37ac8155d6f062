package dev.feedserver.ranking.eval;

/** Anything that can produce a top-k list of dataset item numbers for a dataset user number. */
@FunctionalInterface
public interface Recommender {
    /** Up to {@code k} item numbers, best first, never the user's own training items. */
    int[] recommend(int user, int k);
}

package dev.feedserver.ranking.retrieval;

/** Says whether an item row must be left out of a user's candidates (already consumed, say). */
@FunctionalInterface
public interface ItemFilter {
    boolean excludes(int item);
}

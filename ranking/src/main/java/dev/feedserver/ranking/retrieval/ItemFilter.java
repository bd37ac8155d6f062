package dev.feedserver.ranking.retrieval;

/** Says whether an item row must be left out of a user's candidates (already consumed, say). */
@FunctionalInterface
public interface ItemFilter {
    ItemFilter NONE = item -> false;

    boolean excludes(int item);
}

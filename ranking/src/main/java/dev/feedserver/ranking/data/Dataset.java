package dev.feedserver.ranking.data;

import java.util.List;

/**
 * A loaded world: user ids, items and the interaction history between them. Interaction user
 * and item numbers index {@code userIds} and {@code items}. Read-only once built.
 *
 * @param name where it came from, e.g. {@code synthetic(seed=7)} or {@code movielens:/path}
 * @param userIds external user ids, by user number
 * @param items catalogue, by item number
 * @param interactions history, one row per implicit interaction
 */
public record Dataset(String name, List<String> userIds, List<Item> items, Interactions interactions) {
}

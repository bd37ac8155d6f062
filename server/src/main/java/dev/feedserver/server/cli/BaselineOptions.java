package dev.feedserver.server.cli;

import dev.feedserver.ranking.eval.EaseConfig;
import dev.feedserver.ranking.eval.ItemKnnConfig;
import picocli.CommandLine.Option;

/**
 * Options of {@code eval}'s baselines: item-kNN's neighbour count, EASE's penalty and minimum
 * item count. Each converts to a validated config record, so a bad value fails at start with a
 * message naming the setting.
 */
public final class BaselineOptions {
    @Option(names = "--itemknn-neighbours", defaultValue = "100",
            description = "Item-kNN baseline: most similar items kept per item (default ${DEFAULT-VALUE}).")
    int neighbours;

    @Option(names = "--ease-lambda", defaultValue = "500",
            description = "EASE baseline: L2 penalty on the item-item weights (default ${DEFAULT-VALUE}, Steck's value for MovieLens-20M).")
    double easeLambda;

    @Option(names = "--ease-min-count", defaultValue = "1",
            description = "EASE baseline: model only items with at least this many training users; the rest rank after, by popularity "
                    + "(default ${DEFAULT-VALUE}: every item seen in training; the fit grows with the cube of the items modelled).")
    int easeMinCount;

    ItemKnnConfig itemKnn() {
        return new ItemKnnConfig(neighbours);
    }

    EaseConfig ease() {
        return new EaseConfig(easeLambda, easeMinCount);
    }
}

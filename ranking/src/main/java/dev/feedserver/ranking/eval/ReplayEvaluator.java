package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import java.util.function.IntConsumer;

/**
 * The online replay of the brief: walks the test interactions in time order; before revealing
 * each, asks for the user's feed (top {@code feedSize}) and counts a hit when the item is in it;
 * then posts the interaction as a click event. Whether the event moves the user vector is the
 * applier's drift rate (0.10 = real-time updates on, 0 = frozen); the consumed filter is updated
 * either way, as the server always does. Items unseen in training are not in the catalogue and
 * count as misses.
 *
 * <p>Mutates the model it is given: use a fresh model per run.
 */
public final class ReplayEvaluator {
    private ReplayEvaluator() {
    }

    /** Returns the hit rate over all replayed interactions. */
    public static double hitRate(Dataset dataset, Interactions replay, FeedModel model, FeedPipeline pipeline,
                                 InteractionApplier applier, int feedSize, IntConsumer progress) {
        int hits = 0;
        for (int i = 0; i < replay.size(); i++) {
            String user = dataset.userIds().get(replay.user(i));
            String item = dataset.items().get(replay.item(i)).id();
            int row = model.catalog().rowOf(item);
            FeedResult feed = pipeline.feed(user, feedSize);
            for (int r = 0; r < feed.size(); r++) {
                if (feed.items()[r] == row) {
                    hits++;
                    break;
                }
            }
            if (row >= 0) {
                applier.apply(new Interaction(user, item, EventType.CLICK, 0, replay.timeMillis(i)));
            }
            if ((i & 255) == 255 || i == replay.size() - 1) {
                progress.accept(i + 1);
            }
        }
        return replay.size() == 0 ? 0 : (double) hits / replay.size();
    }
}

package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.feed.FeedResult;
import java.util.HashMap;
import java.util.Map;

/**
 * The project's recommender as the server runs it: each list comes from {@link FeedPipeline}
 * (retrieval over the whole catalogue, consumed-item filter, batched native scoring), with
 * catalogue rows mapped back to dataset item numbers.
 *
 * <p>Thread-safe as the pipeline is.
 */
public final class FeedRecommender implements Recommender {
    private final Dataset dataset;
    private final FeedModel model;
    private final FeedPipeline pipeline;
    private final Map<String, Integer> itemNumber = new HashMap<>();
    private final long[] nowByUser;

    public FeedRecommender(Dataset dataset, FeedModel model, FeedPipeline pipeline) {
        this(dataset, model, pipeline, null);
    }

    /**
     * A recommender asking each user's feed as of {@code nowByUser[user]} (the moment after their
     * last known interaction, so time features see the data's time, not today's); null: now.
     */
    public FeedRecommender(Dataset dataset, FeedModel model, FeedPipeline pipeline, long[] nowByUser) {
        this.dataset = dataset;
        this.model = model;
        this.pipeline = pipeline;
        this.nowByUser = nowByUser;
        for (int i = 0; i < dataset.items().size(); i++) {
            itemNumber.put(dataset.items().get(i).id(), i);
        }
    }

    @Override
    public int[] recommend(int user, int k) {
        long now = nowByUser == null ? System.currentTimeMillis() : nowByUser[user];
        FeedResult result = pipeline.feed(dataset.userIds().get(user), k, null, now);
        int[] out = new int[result.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = itemNumber.get(model.catalog().item(result.items()[i]).id());
        }
        return out;
    }
}

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

    public FeedRecommender(Dataset dataset, FeedModel model, FeedPipeline pipeline) {
        this.dataset = dataset;
        this.model = model;
        this.pipeline = pipeline;
        for (int i = 0; i < dataset.items().size(); i++) {
            itemNumber.put(dataset.items().get(i).id(), i);
        }
    }

    @Override
    public int[] recommend(int user, int k) {
        FeedResult result = pipeline.feed(dataset.userIds().get(user), k);
        int[] out = new int[result.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = itemNumber.get(model.catalog().item(result.items()[i]).id());
        }
        return out;
    }
}

package dev.feedserver.ranking.rank;

import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.eval.TemporalSplit;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;

/**
 * A small synthetic world built the way the server builds a ranked model: ALS on the older
 * interactions, content embeddings (hashing encoder), the newer interactions replayed as events
 * while ranking examples are logged, and a small ranker trained on them.
 */
final class RankerFixture implements AutoCloseable {
    final Dataset world;
    final FeedModel model;
    final FeedPipeline pipeline;
    final InteractionApplier applier;
    final FeatureSchema schema;
    final FeatureAssembler assembler;
    final ExampleCollector.Outcome outcome;
    final RankerTrainer.Result trained;

    RankerFixture(long seed, int epochs) {
        world = SyntheticWorld.generate(new SyntheticWorldSpec(seed, 300, 600, 8, 30), n -> { });
        TemporalSplit inner = TemporalSplit.of(world);
        Factors factors = ModelTrainer.train(world, inner.train(), new AlsConfig(16, 6, 0.1f, 10f, 1), n -> { });
        FeedConfig config = FeedConfig.DEFAULT;
        model = ModelTrainer.build(world, inner.train(), factors, config, UserStoreConfig.forUsers(300), false);
        ItemContent content = new ItemContent(new HashingTextEncoder(32));
        model.useContent(content);
        int[] rows = new int[model.catalog().size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        content.embed(model.catalog(), rows, n -> { });
        pipeline = new FeedPipeline(model, config);
        applier = new InteractionApplier(model, LearningConfig.DEFAULT);
        schema = FeatureSchema.standard(16, 32, model.clusters().clusters());
        assembler = new FeatureAssembler(schema, model);
        outcome = ExampleCollector.collect(world, inner.replayOrder(), model, pipeline, applier, assembler,
                new ExampleCollector.Config(7, 900, 5), n -> { });
        trained = new RankerTrainer(new RankerTrainer.Config(epochs, 8, 2e-3f, 1e-6f, 0.15, 32, 16, 3))
                .train(outcome.set(), "fixture-" + seed, (e, d, t) -> { });
    }

    @Override
    public void close() {
        model.close();
    }
}

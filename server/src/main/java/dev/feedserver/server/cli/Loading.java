package dev.feedserver.server.cli;

import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Interactions;
import dev.feedserver.ranking.data.MovieLensLoader;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The long start-up steps with progress bars: loading or generating data, training. Stateless. */
final class Loading {
    private static final Logger LOG = LoggerFactory.getLogger(Loading.class);

    private Loading() {
    }

    static Dataset dataset(DatasetSpec spec, SyntheticWorldSpec world) {
        long start = System.nanoTime();
        Dataset dataset;
        if (spec.synthetic()) {
            try (Progress progress = Progress.start("generate users", world.users())) {
                dataset = SyntheticWorld.generate(world, progress::stepTo);
            }
        } else {
            dataset = MovieLensLoader.load(spec.directory(), line -> LOG.info("movielens {}", line));
        }
        LOG.info("dataset {}: {} users, {} items, {} interactions in {} ms", dataset.name(), dataset.userIds().size(),
                dataset.items().size(), dataset.interactions().size(), (System.nanoTime() - start) / 1_000_000);
        return dataset;
    }

    static Factors train(Dataset dataset, Interactions history, AlsConfig als) {
        long start = System.nanoTime();
        Factors factors;
        try (Progress progress = Progress.start("train ALS", ModelTrainer.trainingWork(dataset, als))) {
            factors = ModelTrainer.train(dataset, history, als, progress::stepTo);
        }
        LOG.info("trained implicit ALS ({} factors, {} sweeps) on {} interactions in {} ms", als.factors(), als.iterations(),
                history.size(), (System.nanoTime() - start) / 1_000_000);
        return factors;
    }
}

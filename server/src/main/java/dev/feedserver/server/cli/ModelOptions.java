package dev.feedserver.server.cli;

import dev.feedserver.embeddings.store.StorageType;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.ColdStartConfig;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.IndexConfig;
import dev.feedserver.ranking.feed.RerankConfig;
import dev.feedserver.ranking.retrieval.IvfInterestIndex;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.users.UserStoreConfig;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code serve} and {@code eval}: the data, the synthetic world's sizes, the
 * ALS hyper-parameters and the feed/learning settings. Each converts to a validated config
 * record, so a bad value fails at start with a message naming the option.
 */
public final class ModelOptions {
    @Option(names = "--dataset", converter = DatasetSpec.Converter.class, defaultValue = "synthetic",
            description = "synthetic (default, generated from --seed) or movielens:DIR (ml-latest-small layout)")
    DatasetSpec dataset = DatasetSpec.SYNTHETIC;

    @Option(names = "--seed", defaultValue = "42", description = "Synthetic world seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--users", defaultValue = "2000", description = "Synthetic users (default ${DEFAULT-VALUE}, up to 10,000,000).")
    int users;

    @Option(names = "--items", defaultValue = "5000", description = "Synthetic items (default ${DEFAULT-VALUE}, up to 10,000,000).")
    int items;

    @Option(names = "--topics", defaultValue = "16", description = "Synthetic latent topics (default ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--interactions-per-user", defaultValue = "40", description = "Synthetic mean history length (default ${DEFAULT-VALUE}).")
    int interactionsPerUser;

    @Option(names = "--factors", defaultValue = "32", description = "ALS latent dimension (default ${DEFAULT-VALUE}).")
    int factors;

    @Option(names = "--iterations", defaultValue = "12", description = "ALS sweeps (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--regularization", defaultValue = "0.1", description = "ALS L2 penalty (default ${DEFAULT-VALUE}).")
    float regularization;

    @Option(names = "--alpha", defaultValue = "5", description = "ALS confidence slope (default ${DEFAULT-VALUE}).")
    float alpha;

    @Option(names = "--drift-rate", defaultValue = "0.10", description = "Share of the way each significant event moves the user vector toward the item (default ${DEFAULT-VALUE}).")
    float driftRate;

    @Option(names = "--popularity-weight", defaultValue = "0.05", description = "Weight of the popularity prior in the feed score (default ${DEFAULT-VALUE}).")
    float popularityWeight;

    @Option(names = "--interest-candidates", defaultValue = "1300", description = "Candidates from interest retrieval (default ${DEFAULT-VALUE}).")
    int interestCandidates;

    @Option(names = "--cluster-candidates", defaultValue = "500", description = "Candidates sampled from the user's latent clusters (default ${DEFAULT-VALUE}).")
    int clusterCandidates;

    @Option(names = "--clusters", defaultValue = "32", description = "Latent clusters (spherical k-means over item vectors; default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--cluster-exploration", defaultValue = "0.10", description = "Share of the cluster quota drawn from clusters outside the user's top three (default ${DEFAULT-VALUE}).")
    float clusterExploration;

    @Option(names = "--popular-candidates", defaultValue = "200", description = "Candidates from the popularity list (default ${DEFAULT-VALUE}).")
    int popularCandidates;

    @Option(names = "--trending-candidates", defaultValue = "200", description = "Candidates from the trending list (default ${DEFAULT-VALUE}).")
    int trendingCandidates;

    @Option(names = "--fresh-candidates", defaultValue = "200", description = "Candidates from the newest items (default ${DEFAULT-VALUE}).")
    int freshCandidates;

    @Option(names = "--freshness-weight", defaultValue = "0.10", description = "Weight of the freshness prior exp(-age/tau) in the feed score (default ${DEFAULT-VALUE}).")
    float freshnessWeight;

    @Option(names = "--fresh-half-life", defaultValue = "PT6H", description = "Age at which the freshness prior halves (default ${DEFAULT-VALUE}).")
    java.time.Duration freshHalfLife;

    @Option(names = "--trending-half-life", defaultValue = "PT6H", description = "Age at which an interaction's trending weight halves (default ${DEFAULT-VALUE}).")
    java.time.Duration trendingHalfLife;

    @Option(names = "--max-limit", defaultValue = "200", description = "Largest feed 'limit' accepted (default ${DEFAULT-VALUE}).")
    int maxLimit;

    @Option(names = "--user-storage", defaultValue = "INT8",
            description = "Storage of user vectors: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    StorageType userStorage;

    @Option(names = "--max-users", description = "Capacity of the user store (default: max(1,000,000, 2 x dataset users)).")
    Long maxUsers;

    @Option(names = "--consumed-per-user", defaultValue = "2000", description = "Consumed items remembered per user for filtering (default ${DEFAULT-VALUE}).")
    int consumedPerUser;

    @Option(names = "--session-weight", defaultValue = "1.0",
            description = "Weight of the short-term interest (the user's last 5 positive items) blended into the user vector for retrieval and scoring; 0 = off (default ${DEFAULT-VALUE}).")
    float sessionWeight;

    @Option(names = "--interest-index", defaultValue = "AUTO",
            description = "Interest retrieval index: AUTO (exact float scan up to --exact-up-to items, int8 scan up to --int8-scan-up-to, IVF above), EXACT, INT8_SCAN or IVF (default ${DEFAULT-VALUE}).")
    IndexConfig.Mode interestIndex;

    @Option(names = "--exact-up-to", defaultValue = "20000", description = "Largest catalogue AUTO scans exactly in float (default ${DEFAULT-VALUE}).")
    int exactUpTo;

    @Option(names = "--int8-scan-up-to", defaultValue = "200000", description = "Largest catalogue AUTO scans whole in int8 (default ${DEFAULT-VALUE}).")
    int int8ScanUpTo;

    @Option(names = "--ivf-scan-factor", defaultValue = "16",
            description = "IVF: items scanned per request as a multiple of --interest-candidates (default ${DEFAULT-VALUE}; more = higher recall, slower).")
    float ivfScanFactor;

    @Option(names = "--index-rebuild-growth", defaultValue = "0.2",
            description = "Rebuild the interest index and latent clusters in the background once the catalogue grew (or lost) this share (default ${DEFAULT-VALUE}).")
    double rebuildGrowth;

    @Option(names = "--max-cluster-share", defaultValue = "0.5",
            description = "Most of a feed page one latent cluster may fill, in (0, 1]; 1 turns the cap off (default ${DEFAULT-VALUE}).")
    float maxClusterShare;

    @Option(names = "--duplicate-cosine", defaultValue = "0.97",
            description = "Content cosine at or above which an item is a near duplicate of one already on the page (default ${DEFAULT-VALUE}).")
    float duplicateCosine;

    @Option(names = "--spread-clusters", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Reorder each page so neighbours come from different clusters where possible (default ${DEFAULT-VALUE}).")
    boolean spreadClusters;

    @Option(names = "--cold-start-neighbours", defaultValue = "10",
            description = "A new item starts from the learned vectors of this many content-nearest items (with --content-encoder), blended with its tags' centroid; 0 = tags' centroid only (default ${DEFAULT-VALUE}).")
    int coldStartNeighbours;

    @Option(names = "--cold-start-min-similarity", defaultValue = "0.3",
            description = "Content cosine a cold-start neighbour must reach, in (0, 1]; with none, the tags' centroid alone (default ${DEFAULT-VALUE}).")
    float coldStartMinSimilarity;

    @Option(names = "--cold-start-content-weight", defaultValue = "0.5",
            description = "Share of the content neighbours in a new item's vector when its tags are known too, in [0, 1] (default ${DEFAULT-VALUE}).")
    float coldStartContentWeight;

    SyntheticWorldSpec world() {
        return new SyntheticWorldSpec(seed, users, items, topics, interactionsPerUser);
    }

    AlsConfig als() {
        return new AlsConfig(factors, iterations, regularization, alpha, seed);
    }

    FeedConfig feed() {
        return new FeedConfig(interestCandidates, clusterCandidates, popularCandidates, trendingCandidates, freshCandidates,
                clusters, clusterExploration, popularityWeight, freshnessWeight, freshHalfLife.toMillis(),
                trendingHalfLife.toMillis(), maxLimit, consumedPerUser, sessionWeight,
                new IndexConfig(interestIndex, exactUpTo, int8ScanUpTo, IvfInterestIndex.Config.defaults().withScanFactor(ivfScanFactor),
                        rebuildGrowth),
                new RerankConfig(maxClusterShare, duplicateCosine, spreadClusters),
                new ColdStartConfig(coldStartNeighbours, coldStartMinSimilarity, coldStartContentWeight,
                        ColdStartConfig.DEFAULT.scanUpTo()));
    }

    UserStoreConfig userStore(long knownUsers) {
        long capacity = maxUsers != null ? maxUsers : UserStoreConfig.forUsers(knownUsers).capacity();
        return new UserStoreConfig(userStorage, capacity);
    }

    LearningConfig learning() {
        return new LearningConfig(driftRate, LearningConfig.DEFAULT.significantDwellMillis());
    }
}

package dev.feedserver.bench;

import dev.feedserver.embeddings.store.StorageType;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.feed.Stage;
import dev.feedserver.ranking.users.UserProfiles;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The whole candidate-retrieval stage of one feed request at catalogue scale: a live
 * {@link FeedModel} over {@code items} synthetic items (vectors from the caller, Zipf-like
 * popularity, trending history, creation times over 30 days), users with histories to filter,
 * and the production {@link FeedPipeline} with its default quotas (2,400 candidates from five
 * sources). The stage is the sum of the pipeline's own per-stage timers from reading the user to
 * the last source, merge and de-duplication included; ranking is reported beside it.
 *
 * <p>Requests run one at a time on one thread after a warm-up, because the figure wanted is the
 * latency of one request, not throughput; each request is ~a millisecond, far above timer
 * resolution, so a plain timed loop with HdrHistogram is used rather than JMH.
 * Not thread-safe; one instance per measurement. Lifecycle: {@link #close()} frees the model.
 */
final class RetrievalStage implements AutoCloseable {
    private static final int USERS = 20_000;
    private static final int HISTORY = 60;
    private static final long DAY = 86_400_000L;

    /** Percentiles in microseconds for the stage, each source, and ranking. */
    record Result(int items, int requests, double candidatesMean, Map<String, double[]> percentilesUs, String interestIndex) {
    }

    private final FeedModel model;
    private final FeedPipeline pipeline;
    private final int items;

    /** Builds the model; {@code vectors} gives item {@code i}'s vector, {@code queries} user {@code u}'s. */
    RetrievalStage(int items, int dim, IntFunction<float[]> vectors, IntFunction<float[]> queries, long seed, PrintStream progress) {
        this.items = items;
        SplittableRandom random = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        ItemCatalog catalog = new ItemCatalog(dim);
        for (int i = 0; i < items; i++) {
            Item item = new Item("i" + i, "", "", List.of(), now - (long) (random.nextDouble() * 30 * DAY));
            int row = catalog.upsert(item, vectors.apply(i));
            // Zipf-like popularity: a few items get most interactions
            long count = (long) (1_000.0 / Math.pow(1 + random.nextInt(items), 0.6));
            catalog.vectors().setInteractions(row, count, item.createdAtMillis());
            if (i % 100_000 == 99_999) {
                progress.printf("  stage: %,d items loaded%n", i + 1);
            }
        }
        FeedConfig config = FeedConfig.DEFAULT;
        UserProfiles users = new UserProfiles(dim, StorageType.INT8, USERS * 2L, config.consumedPerUser());
        for (int u = 0; u < USERS; u++) {
            String id = "u" + u;
            users.load(id, queries.apply(u), HISTORY, now);
            int row = users.row(id);
            for (int h = 0; h < HISTORY; h++) {
                users.consumed().add(row, random.nextInt(items));
            }
        }
        progress.printf("  stage: %,d users loaded; building the model's indexes%n", USERS);
        long start = System.nanoTime();
        this.model = new FeedModel(catalog, users, config);
        progress.printf("  stage: indexes built in %.1f s (interest index %s)%n", (System.nanoTime() - start) / 1e9, model.interest().name());
        for (int e = 0; e < 200_000; e++) {
            model.trending().record(random.nextInt(Math.min(items, 50_000)), 1.0, now - (long) (random.nextDouble() * DAY));
        }
        this.pipeline = new FeedPipeline(model, config);
    }

    FeedModel model() {
        return model;
    }

    FeedPipeline pipeline() {
        return pipeline;
    }

    /** Users are {@code u0 .. u(users-1)}. */
    static int users() {
        return USERS;
    }

    Result measure(int warmup, int requests, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < warmup; r++) {
            pipeline.feed("u" + random.nextInt(USERS), 50);
        }
        Histogram stage = new Histogram(3);
        Map<Stage, Histogram> sources = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            sources.put(s, new Histogram(3));
        }
        long candidates = 0;
        for (int r = 0; r < requests; r++) {
            FeedResult result = pipeline.feed("u" + random.nextInt(USERS), 50);
            long[] nanos = result.stageNanos();
            long retrieval = 0;
            for (Stage s : Stage.values()) {
                sources.get(s).recordValue(Math.max(1, nanos[s.ordinal()]));
                if (s.ordinal() <= Stage.RETRIEVE_FRESH.ordinal()) {
                    retrieval += nanos[s.ordinal()];
                }
            }
            stage.recordValue(Math.max(1, retrieval));
            candidates += result.candidates();
        }
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        out.put("retrieval_stage", percentiles(stage));
        for (Stage s : Stage.values()) {
            out.put(s.label(), percentiles(sources.get(s)));
        }
        return new Result(items, requests, candidates / (double) requests, out, model.interest().name());
    }

    /** P50, P90, P99 and max in microseconds. */
    private static double[] percentiles(Histogram h) {
        return new double[] {h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3};
    }

    @Override
    public void close() {
        model.close();
    }
}

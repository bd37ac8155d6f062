package dev.feedserver.bench;

import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedResult;
import dev.feedserver.ranking.retrieval.ItemFilter;
import dev.feedserver.ranking.retrieval.TopK;
import dev.feedserver.server.api.FeedResponseEncoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each stage of a feed request on its own, over a {@link RetrievalStage} model (synthetic
 * clustered item vectors, Zipf-like popularity, trending history, users with histories, the
 * production {@code FeedConfig} defaults): reading the user, each candidate source, the whole
 * pipeline, and encoding the response. Users vary per call so caches do not flatter the figures.
 *
 * <p>JMH state: one model per trial and single-threaded use (the reused buffers are not shared
 * safely between benchmark threads; run with one thread, as the suite does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class StageBenchmark {
    @Param({"100000"})
    int items;

    @Param({"32"})
    int dim;

    private RetrievalStage stage;
    private FeedModel model;
    private float[][] queries;
    private FeedResult sample;
    private final SplittableRandom random = new SplittableRandom(5);
    // Reused like the pipeline's per-thread scratch, so allocation is not part of the figures.
    private final TopK top = new TopK(1_300);
    private float[] userBuffer;
    private float[] affinity;

    @Setup(Level.Trial)
    public void setUp() {
        int centres = Math.max(10, items / 1_000);
        SplittableRandom centreRandom = new SplittableRandom(1);
        float[][] means = new float[centres][dim];
        for (float[] mean : means) {
            for (int d = 0; d < dim; d++) {
                mean[d] = (float) centreRandom.nextGaussian();
            }
        }
        java.util.function.IntFunction<float[]> vector = i -> {
            SplittableRandom r = new SplittableRandom(i * 31L + 7);
            float[] v = new float[dim];
            float[] mean = means[r.nextInt(centres)];
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                v[d] = mean[d] + 0.6f * (float) r.nextGaussian();
                norm += v[d] * v[d];
            }
            float length = (float) ((0.5 + r.nextDouble()) / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                v[d] *= length;
            }
            return v;
        };
        stage = new RetrievalStage(items, dim, vector, u -> vector.apply(-1 - u), 3, System.err);
        model = stage.model();
        queries = new float[256][dim];
        for (int q = 0; q < queries.length; q++) {
            model.users().read(user(q), queries[q]);
        }
        sample = stage.pipeline().feed(user(1), 20);
        userBuffer = new float[dim];
        affinity = new float[model.clusters().clusters()];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stage.close();
    }

    private static String user(int i) {
        return "u" + i;
    }

    private int nextUser() {
        return random.nextInt(RetrievalStage.users());
    }

    @Benchmark
    public boolean userRead() {
        return model.users().read(user(nextUser()), userBuffer);
    }

    @Benchmark
    public int interestRetrieval() {
        top.clear();
        model.interest().search(queries[random.nextInt(queries.length)], none(), top);
        return top.size();
    }

    @Benchmark
    public void clusterSampling(Blackhole hole) {
        model.clusters().affinityOf(queries[random.nextInt(queries.length)], affinity);
        model.clusters().sample(affinity, 500, 0.1, none(), random, hole::consume);
    }

    @Benchmark
    public int[] popular() {
        return model.popularity().top();
    }

    @Benchmark
    public int[] trending() {
        return model.trending().top(200);
    }

    @Benchmark
    public Object fresh() {
        return model.fresh().newest(200, none());
    }

    @Benchmark
    public FeedResult wholePipeline() {
        return stage.pipeline().feed(user(nextUser()), 20);
    }

    @Benchmark
    public byte[] responseEncoding() {
        return FeedResponseEncoder.encode("u1", "request-1", sample, model.catalog());
    }

    private static ItemFilter none() {
        return item -> false;
    }
}

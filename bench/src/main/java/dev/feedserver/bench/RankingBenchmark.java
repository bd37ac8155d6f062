package dev.feedserver.bench;

import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import dev.feedserver.onnx.mlp.OnnxMlpRunner;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.CandidateSource;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.HeadCalibration;
import dev.feedserver.ranking.rank.Int8Ranker;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RequestFeatures;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

/**
 * The ranking stage at production shape, and what users would run instead, on the same model
 * and the same batch: {@code candidates} candidates (2,400) of one request, 5,229 features
 * (the standard schema: 32 factors, 384-wide content, 32 clusters), a 256 -> 128 -> 4-head MLP.
 * <ul>
 *   <li>{@code assembleAndRankInt8}: what a request pays, feature assembly (request block,
 *       candidate batch with its two similarity GEMMs) plus the split int8 ranker (one
 *       {@code fn_mlp_forward_add}).</li>
 *   <li>{@code rankInt8}: the ranker alone on an assembled batch.</li>
 *   <li>{@code denseInt8}: our int8 MLP on the dense 5,229-wide rows (no split): what the
 *       split saves.</li>
 *   <li>{@code onnxRuntimeFloat} / {@code onnxRuntimeInt8}: ONNX Runtime (one intra-op thread)
 *       on the same dense rows, the model exported float and in its dynamic-quantization form.</li>
 * </ul>
 * The weights are freshly initialised, not trained: speed does not depend on their values (no
 * path skips zeros), and the suite must not need a dataset. The catalogue is a synthetic world;
 * each call ranks a different user's request over a fixed random set of candidates.
 *
 * <p>JMH state: single-threaded use (per-thread buffers are reused).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class RankingBenchmark {
    @Param({"2400"})
    int candidates;

    private FeedModel model;
    private Int8Ranker ranker;
    private RequestFeatures features;
    private int[] items;
    private byte[] sources;
    private int[] sortedItems;
    private byte[] sortedSources;
    private long[] sortScratch;
    private float[] scores;
    private String[] users;
    private int next;
    private QuantizedMlp dense;
    private MemorySegment denseRows;
    private MemorySegment denseScratch;
    private MemorySegment denseOut;
    private OnnxMlpRunner onnxFloat;
    private OnnxMlpRunner onnxInt8;
    private float[] denseHeap;
    private MemorySegment onnxOutSegment;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Dataset world = SyntheticWorld.generate(new SyntheticWorldSpec(7, 5_000, 20_000, 32, 40), n -> { });
        Factors factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(32, 4, 0.1f, 5f, 1), n -> { });
        model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT, UserStoreConfig.forUsers(5_000), true);
        ItemContent content = new ItemContent(new HashingTextEncoder(384));
        model.useContent(content);
        int[] rows = new int[model.catalog().size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        content.embed(model.catalog(), rows, n -> { });
        FeatureSchema schema = FeatureSchema.standard(32, 384, model.clusters().clusters());
        RankerModel rankerModel = RankerModel.initialise(schema, RankerModel.DEFAULT_HIDDEN1, RankerModel.DEFAULT_HIDDEN2, 3, "bench");
        ranker = new Int8Ranker(rankerModel, model, n -> { });
        features = ranker.assembler().newRequest(candidates);
        SplittableRandom random = new SplittableRandom(11);
        items = new int[candidates];
        sources = new byte[candidates];
        for (int i = 0; i < candidates; i++) {
            items[i] = random.nextInt(rows.length);
            sources[i] = CandidateSource.ALL[random.nextInt(CandidateSource.ALL.length)];
        }
        // Working copies the sorted benchmark orders by item row on every call, as FeedPipeline does.
        sortedItems = new int[candidates];
        sortedSources = new byte[candidates];
        sortScratch = new long[candidates];
        scores = new float[candidates];
        users = new String[256];
        for (int u = 0; u < users.length; u++) {
            users[u] = world.userIds().get(random.nextInt(world.userIds().size()));
        }
        // The dense rows of one request, for the paths without the split.
        FeedPipeline pipeline = new FeedPipeline(model, FeedConfig.DEFAULT);
        load(users[0], pipeline);
        int width = schema.width();
        denseHeap = new float[candidates * width];
        float[] row = new float[width];
        for (int i = 0; i < candidates; i++) {
            ranker.assembler().writeDense(features, items[i], i, row, 0);
            System.arraycopy(row, 0, denseHeap, i * width, width);
        }
        Arena arena = Arena.ofAuto();
        denseRows = arena.allocate((long) candidates * width * Float.BYTES, 64);
        MemorySegment.copy(denseHeap, 0, denseRows, ValueLayout.JAVA_FLOAT, 0, denseHeap.length);
        dense = QuantizedMlp.create(rankerModel.denseLayers(), RankerModel.OUTPUT_LAYER);
        denseScratch = arena.allocate(dense.scratchBytes(candidates), 64);
        denseOut = arena.allocate((long) candidates * dense.outDim() * Float.BYTES, 64);
        MlpExportInfo info = MlpExportInfo.of("feedserver-bench", 1);
        onnxFloat = new OnnxMlpRunner(OnnxMlpExporter.exportFloat(rankerModel.denseLayers(), new int[] {RankerModel.OUTPUT_LAYER}, info), 1, false);
        onnxInt8 = new OnnxMlpRunner(OnnxMlpExporter.exportInt8(rankerModel.denseLayers(), new int[] {RankerModel.OUTPUT_LAYER}, info), 1, false);
        onnxOutSegment = arena.allocate((long) candidates * dense.outDim() * Float.BYTES, 64);
    }

    private void load(String user, FeedPipeline pipeline) {
        FeedPipeline.Retrieved retrieved = pipeline.retrieve(user);
        ranker.assembler().loadRequest(features, user, retrieved.longTermVector(), retrieved.sessionVector(), System.currentTimeMillis());
        ranker.assembler().writeCandidates(features, items, sources, candidates);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        onnxFloat.close();
        onnxInt8.close();
        dense.close();
        ranker.close();
        model.close();
    }

    private final float[] longTerm = new float[32];
    private final float[] session = new float[32];

    @Benchmark
    public float assembleAndRankInt8() {
        String user = users[next++ & (users.length - 1)];
        model.users().read(user, longTerm);
        ranker.assembler().loadRequest(features, user, longTerm, session, System.currentTimeMillis());
        ranker.assembler().writeCandidates(features, items, sources, candidates);
        ranker.score(features, items, candidates, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, scores, null);
        return scores[0];
    }

    /**
     * {@link #assembleAndRankInt8} on the candidates ordered by item row, as the feed pipeline
     * serves them, the ordering included (copied from the random order and sorted on every call).
     */
    @Benchmark
    public float assembleAndRankInt8SortedCandidates() {
        System.arraycopy(items, 0, sortedItems, 0, candidates);
        System.arraycopy(sources, 0, sortedSources, 0, candidates);
        dev.feedserver.ranking.feed.CandidateOrder.sortByItem(sortedItems, sortedSources, candidates, sortScratch);
        String user = users[next++ & (users.length - 1)];
        model.users().read(user, longTerm);
        ranker.assembler().loadRequest(features, user, longTerm, session, System.currentTimeMillis());
        ranker.assembler().writeCandidates(features, sortedItems, sortedSources, candidates);
        ranker.score(features, sortedItems, candidates, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, scores, null);
        return scores[0];
    }

    @Benchmark
    public float rankInt8() {
        ranker.score(features, items, candidates, ObjectiveWeights.DEFAULT, HeadCalibration.IDENTITY, scores, null);
        return scores[0];
    }

    @Benchmark
    public float denseInt8() {
        dense.forward(denseRows, candidates, denseScratch, denseOut);
        return denseOut.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    @Benchmark
    public float onnxRuntimeFloat() throws Exception {
        onnxFloat.run(denseRows, candidates, onnxOutSegment);
        return onnxOutSegment.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    @Benchmark
    public float onnxRuntimeInt8() throws Exception {
        onnxInt8.run(denseRows, candidates, onnxOutSegment);
        return onnxOutSegment.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }
}

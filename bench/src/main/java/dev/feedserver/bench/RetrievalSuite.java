package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.retrieval.ExactInterestIndex;
import dev.feedserver.ranking.retrieval.InterestIndex;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code retrieval} suite: recall@k and single-thread search latency of the interest indexes
 * ({@link RetrievalIndexes}: the exact float scan, JVector's graph, and the project's IVF index
 * once it exists) on the same synthetic vectors in one run, per dataset and size. The exact
 * scan's top k is the ground truth. Writes {@code retrieval.json} (the brief's result format) and
 * {@code retrieval-recall-latency.png}; progress goes to stderr, result rows to stdout.
 *
 * <p>Runs on the calling thread, one dataset at a time: generate, ground truth, then build and
 * measure each index in turn, dropping each build before the next.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Interest retrieval: recall@k and latency of exact, JVector (and IVF) indexes on synthetic vectors.")
public final class RetrievalSuite implements Callable<Integer> {
    /** Above this many items the default JVector construction beam width drops from 100 to 64. */
    static final int LARGE = 500_000;

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for retrieval.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--items", split = ",", description = "Catalogue sizes (default 100000,1000000; with --quick 20000).")
    List<Integer> items;

    @Option(names = "--queries", description = "Queries (users) per dataset (default 200; with --quick 50).")
    Integer queries;

    @Option(names = "--k", defaultValue = "1000", description = "Items retrieved per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--dataset", description = "clustered, random or both (default clustered; with --quick both).")
    String dataset;

    @Option(names = "--clusters", defaultValue = "1000", description = "Centres of the clustered dataset (default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--passes", description = "Timed passes over the queries after the warm-up pass (default 3; with --quick 1).")
    Integer passes;

    @Option(names = "--indexes", split = ",", description = "Only these indexes (names as in the table; the exact scan always runs for the ground truth).")
    List<String> only;

    @Option(names = "--jvector-m", defaultValue = "32", description = "JVector maximum degree M (default ${DEFAULT-VALUE}).")
    int jvectorM;

    @Option(names = "--jvector-beam-width",
            description = "JVector construction beam width (default 100; above 500,000 items 64, to keep a 1M build on 2 cores near 5 minutes).")
    Integer jvectorBeamWidth;

    @Option(names = "--jvector-rerank", split = ",", defaultValue = "1,2,4",
            description = "JVector search settings: rerankK (the search list size) as multiples of k (default ${DEFAULT-VALUE}).")
    List<Integer> jvectorRerank;

    @Option(names = "--jvector-space", split = ",",
            description = "JVector variants, one index each: REDUCED (the MIPS-to-cosine reduction, index 'jvector') and/or RAW "
                    + "(DOT_PRODUCT on the raw vectors, 'jvector-raw'); default REDUCED, with --quick both.")
    List<JVectorGraph.Space> jvectorSpaces;

    @Option(names = "--jvector-pruning", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "JVector's early search termination (its default, on); --no-jvector-pruning searches until the list settles.")
    boolean jvectorPruning;

    @Option(names = "--build-threads", description = "Threads for index builds (default: all available processors).")
    Integer buildThreads;

    @Option(names = "--quick", description = "Small sizes for a smoke run: 20,000 items, 50 queries, both datasets, one timed pass.")
    boolean quick;

    @Option(names = "--stage", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also time the whole candidate stage of the feed pipeline (five sources, 2,400 candidates) over each clustered dataset (default on).")
    boolean stage;

    @Option(names = "--stage-requests", defaultValue = "5000", description = "Timed feed requests per stage measurement, after 2,000 warm-up ones (default ${DEFAULT-VALUE}).")
    int stageRequests;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
    long seed;

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final ObjectNode details = Json.object();
    private final Map<String, double[][]> curves = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<Integer> sizes = items != null ? items : quick ? List.of(20_000) : List.of(100_000, 1_000_000);
        int queryCount = queries != null ? queries : quick ? 50 : 200;
        int timedPasses = passes != null ? passes : quick ? 1 : 3;
        int threads = buildThreads != null ? buildThreads : Runtime.getRuntime().availableProcessors();
        List<RetrievalData.Kind> kinds = kinds(dataset != null ? dataset : quick ? "both" : "clustered");
        if (k < 1 || queryCount < 1 || timedPasses < 1 || clusters < 1 || threads < 1 || sizes.stream().anyMatch(n -> n < k)) {
            throw new IllegalArgumentException("need --k, --queries, --passes, --clusters, --build-threads >= 1 and every --items >= --k");
        }
        List<JVectorGraph.Space> spaces = jvectorSpaces != null ? jvectorSpaces
                : quick ? List.of(JVectorGraph.Space.REDUCED, JVectorGraph.Space.RAW) : List.of(JVectorGraph.Space.REDUCED);
        Map<Integer, List<IndexUnderTest<?>>> indexes = new LinkedHashMap<>();
        for (int n : sizes) {
            int beamWidth = jvectorBeamWidth != null ? jvectorBeamWidth : n > LARGE ? 64 : 100;
            JVectorGraph.Parameters jvector = new JVectorGraph.Parameters(jvectorM, beamWidth, 1.2f, 1.2f, true);
            indexes.put(n, RetrievalIndexes.all(k, new RetrievalIndexes.JVectorOptions(spaces, jvector, jvectorRerank, jvectorPruning, threads)));
        }

        String provider = VectorizationProvider.getInstance().getClass().getSimpleName();
        if (provider.startsWith("Default")) {
            System.err.println("retrieval: WARNING JVector runs without SIMD (" + provider + "); start the JVM with --add-modules jdk.incubator.vector");
        }
        describe(sizes, queryCount, timedPasses, threads, provider, indexes);
        details.put("loadavg_at_start", StoreSuite.readFirstLine("/proc/loadavg"));
        ArrayNode rows = details.putArray("rows");
        for (RetrievalData.Kind kind : kinds) {
            for (int n : sizes) {
                runDataset(kind, n, queryCount, timedPasses, indexes.get(n), rows);
            }
        }
        details.put("loadavg_at_end", StoreSuite.readFirstLine("/proc/loadavg"));
        Path file = output.resolve("retrieval.json");
        ResultFile.write(file, "retrieval", command(sizes, queryCount, timedPasses, kinds), metrics, details);
        Charts.lines(output.resolve("retrieval-recall-latency.png"),
                String.format(Locale.ROOT, "Recall@%d vs median single-thread search latency (%d-dim, %d queries)", k, RetrievalData.DIM, queryCount),
                "median latency per search (us, log scale)", "recall@" + k, curves);
        System.out.println("wrote " + file);
        return 0;
    }

    private void runDataset(RetrievalData.Kind kind, int n, int queryCount, int timedPasses,
                            List<IndexUnderTest<?>> indexes, ArrayNode rows) throws Exception {
        String tag = kind.label() + StoreSuite.sizeSuffix(n);
        long start = System.nanoTime();
        progress("[%s] generating %,d items and %d queries", tag, n, queryCount);
        try (RetrievalData data = RetrievalData.generate(kind, n, queryCount, clusters, seed)) {
            ((ObjectNode) details.get("datasets")).put(tag, data.description());
            progress("[%s] generated in %.1f s; exact top-%d of every query (ground truth)", tag, seconds(start), k);
            start = System.nanoTime();
            int[][] truth = RetrievalMeasurement.groundTruth(new ExactInterestIndex(data.table(), () -> n), data.queries(), k);
            progress("[%s] ground truth in %.1f s", tag, seconds(start));
            double exactP50 = Double.NaN;
            for (IndexUnderTest<?> index : indexes) {
                if (only == null || only.contains(index.name())) {
                    double p50 = measureIndex(index, data, truth, timedPasses, tag, exactP50, rows);
                    if (index.name().equals("exact-f32")) {
                        exactP50 = p50;
                    }
                }
            }
            if (stage && kind == RetrievalData.Kind.CLUSTERED) {
                measureStage(data, tag);
            }
        }
    }

    /** The feed pipeline's whole candidate stage over this dataset's items (see {@link RetrievalStage}). */
    private void measureStage(RetrievalData data, String tag) {
        progress("[%s] stage: building a feed model over the same %,d items", tag, data.items());
        float[][] users = data.queries();
        try (RetrievalStage stageModel = new RetrievalStage(data.items(), RetrievalData.DIM, row -> {
            float[] v = new float[RetrievalData.DIM];
            data.table().read(row, v);
            return v;
        }, u -> users[u % users.length], seed, System.err)) {
            progress("[%s] stage: timing %,d feed requests", tag, stageRequests);
            RetrievalStage.Result result = stageModel.measure(2_000, stageRequests, seed);
            ObjectNode node = details.withObject("/stage").putObject(tag);
            node.put("interest_index", result.interestIndex()).put("requests", result.requests())
                    .put("candidates_mean", result.candidatesMean());
            result.percentilesUs().forEach((part, p) -> {
                node.putObject(part).put("p50_us", p[0]).put("p90_us", p[1]).put("p99_us", p[2]).put("max_us", p[3]);
                System.out.printf(Locale.ROOT, "%-10s %-5s stage  %-18s p50 %,9.1f us  p90 %,9.1f us  p99 %,9.1f us%n",
                        data.kind().label(), StoreSuite.sizeSuffix(data.items()).substring(1), part, p[0], p[1], p[2]);
            });
            double[] whole = result.percentilesUs().get("retrieval_stage");
            metrics.put("stage_p50_us_" + tag, new Metric(whole[0], "us"));
            metrics.put("stage_p99_us_" + tag, new Metric(whole[2], "us"));
            double[] interest = result.percentilesUs().get("retrieve_interest");
            metrics.put("stage_interest_p50_us_" + tag, new Metric(interest[0], "us"));
            metrics.put("stage_interest_p99_us_" + tag, new Metric(interest[2], "us"));
        }
    }

    /** Builds {@code index}, measures each of its settings, records them; returns the first setting's median in us. */
    private <B> double measureIndex(IndexUnderTest<B> index, RetrievalData data, int[][] truth, int timedPasses,
                                    String tag, double exactP50, ArrayNode rows) throws Exception {
        progress("[%s] %s: building (%s)", tag, index.name(), index.buildParameters());
        long heapBefore = StoreMemory.settledHeapUsed();
        long start = System.nanoTime();
        B built = index.builder().build(data.table(), data.items(), (done, total) ->
                progress("[%s] %s: built %,d of %,d (%.0f%%), %.0f s", tag, index.name(), done, total, 100.0 * done / total, seconds(start)));
        double buildSeconds = seconds(start);
        long heapDelta = StoreMemory.settledHeapUsed() - heapBefore;
        long bytes = built instanceof IndexUnderTest.Sized sized ? sized.bytes() : -1;
        progress("[%s] %s: built in %.1f s (retained heap %+,d bytes%s)", tag, index.name(), buildSeconds, heapDelta,
                bytes < 0 ? "" : String.format(Locale.ROOT, ", index %,d bytes", bytes));
        String key = name(index.name()) + "_" + tag;
        metrics.put("build_s_" + key, new Metric(buildSeconds, "s"));
        if (bytes >= 0) {
            metrics.put("index_bytes_" + key, new Metric(bytes, "bytes"));
        }

        List<double[]> curve = new ArrayList<>();
        double firstP50 = Double.NaN;
        for (IndexUnderTest.Setting<B> setting : index.settings()) {
            progress("[%s] %s %s: searching", tag, index.name(), setting.label());
            InterestIndex searcher = setting.index().apply(built);
            RetrievalMeasurement.Figure f = RetrievalMeasurement.measure(searcher, data.queries(), truth, k, timedPasses, data.items());
            double p50 = f.percentileMicros(50);
            firstP50 = Double.isNaN(firstP50) ? p50 : firstP50;
            String row = name(index.name()) + "_" + name(setting.label()) + "_" + tag;
            metrics.put("recall_at_" + k + "_" + row, new Metric(f.recall(), "fraction"));
            metrics.put("latency_p50_us_" + row, new Metric(p50, "us"));
            metrics.put("latency_p90_us_" + row, new Metric(f.percentileMicros(90), "us"));
            metrics.put("latency_p99_us_" + row, new Metric(f.percentileMicros(99), "us"));
            if (!Double.isNaN(exactP50) && !index.name().equals("exact-f32")) {
                metrics.put("speedup_p50_vs_exact_" + row, new Metric(exactP50 / p50, "x"));
            }
            rows.addObject().put("dataset", data.kind().label()).put("items", data.items()).put("index", index.name())
                    .put("setting", setting.label()).put("build_parameters", index.buildParameters())
                    .put("recall", f.recall()).put("min_recall", f.minRecall())
                    .put("queries_with_recall_under_half", f.queriesUnderHalf())
                    .put("p50_us", p50).put("p90_us", f.percentileMicros(90)).put("p99_us", f.percentileMicros(99))
                    .put("max_us", f.latencyNanos().getMaxValue() / 1e3).put("mean_us", f.latencyNanos().getMean() / 1e3)
                    .put("searches_timed", f.latencyNanos().getTotalCount())
                    .put("build_s", buildSeconds).put("retained_heap_delta_bytes", heapDelta)
                    .put("index_bytes", bytes < 0 ? null : bytes);
            System.out.printf(Locale.ROOT, "%-10s %-5s %-11s %-21s recall@%d %.4f (min %.3f, %3d under 0.5)  p50 %,9.1f us  p90 %,9.1f us  p99 %,9.1f us  build %6.1f s%n",
                    data.kind().label(), StoreSuite.sizeSuffix(data.items()).substring(1), index.name(), setting.label(), k,
                    f.recall(), f.minRecall(), f.queriesUnderHalf(), p50, f.percentileMicros(90), f.percentileMicros(99), buildSeconds);
            curve.add(new double[] {p50, f.recall()});
        }
        curves.put(index.name() + " " + tag.replace('_', ' '), curve.toArray(double[][]::new));
        return firstP50;
    }

    private void describe(List<Integer> sizes, int queryCount, int timedPasses, int threads, String provider,
                          Map<Integer, List<IndexUnderTest<?>>> indexes) {
        details.put("k", k).put("queries", queryCount).put("timed_passes", timedPasses).put("seed", seed).put("dim", RetrievalData.DIM);
        ArrayNode sizeArray = details.putArray("items");
        sizes.forEach(sizeArray::add);
        details.putObject("datasets");
        details.put("method", String.format(Locale.ROOT, "Per dataset: the exact float top-%d of every query from ExactInterestIndex "
                + "(native batched dot products over the off-heap VectorTable) is the ground truth; every index is then built over "
                + "the same table rows (build_s: wall-clock of the build on %d threads, including any copy of the vectors) and "
                + "searched single-threaded with no filter. recall = mean over queries of |returned ∩ exact| / k. Latency: a plain "
                + "timed loop (not JMH: each search is an independent us-to-ms operation), one untimed warm-up pass over all "
                + "queries, then %d timed pass(es), each search (including draining the top-k heap) timed with System.nanoTime "
                + "into an HdrHistogram; percentiles are over all timed searches. retained_heap_delta_bytes: used heap after the "
                + "build minus before, each after System.gc() rounds (off-heap memory is not in it); index_bytes: the index's own "
                + "estimate where it gives one.", k, threads, timedPasses));
        details.putObject("jvm").put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20)
                .put("input_arguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        ObjectNode indexNode = details.putObject("indexes");
        indexes.forEach((n, list) -> {
            ObjectNode perSize = indexNode.putObject(StoreSuite.sizeSuffix(n).substring(1));
            for (IndexUnderTest<?> index : list) {
                ArrayNode settings = perSize.putObject(index.name()).put("build_parameters", index.buildParameters()).putArray("settings");
                index.settings().forEach(setting -> settings.add(setting.label()));
            }
        });
        details.putObject("jvector").put("version", jvectorVersion()).put("vectorization_provider", provider)
                .put("similarity", "DOT_PRODUCT")
                .put("reduction", "MIPS to cosine: items x -> [x / M, sqrt(1 - |x / M|^2)] with M the largest item norm, queries "
                        + "q -> [q / |q|, 0]; all reduced vectors are unit length, q'.x' = q.x / (|q| M) keeps the inner-product "
                        + "order, and scores are mapped back as q.x = (2s - 1) |q| M from JVector's s = (1 + q'.x') / 2")
                .put("search", "GraphSearcher.search(exact DOT_PRODUCT scores, topK = k, rerankK = setting, threshold -inf, "
                        + "rerankFloor 0, accept all); with exact scores rerankK is the search list size. JVector's search "
                        + "pruning (early termination, its default) is on unless the setting's label ends in -nopruning")
                .put("build", "GraphIndexBuilder over the reduced vectors (in memory, exact scores), nodes inserted by a parallel "
                        + "stream on a private ForkJoinPool, then cleanup() (refineFinalGraph on). Construction beam width 100, or 64 "
                        + "above " + LARGE + " items unless --jvector-beam-width is given: at 100 a 1M-item build on 2 cores "
                        + "takes about 6 minutes or more (each row's build_parameters says which was used)");
    }

    private static List<RetrievalData.Kind> kinds(String dataset) {
        return switch (dataset.toLowerCase(Locale.ROOT)) {
            case "clustered" -> List.of(RetrievalData.Kind.CLUSTERED);
            case "random" -> List.of(RetrievalData.Kind.RANDOM);
            case "both" -> List.of(RetrievalData.Kind.CLUSTERED, RetrievalData.Kind.RANDOM);
            default -> throw new IllegalArgumentException("--dataset must be clustered, random or both, got " + dataset);
        };
    }

    private String command(List<Integer> sizes, int queryCount, int timedPasses, List<RetrievalData.Kind> kinds) {
        StringBuilder c = new StringBuilder("./feedserver bench retrieval");
        if (quick) {
            c.append(" --quick");
        }
        if (items != null) {
            c.append(" --items ").append(String.join(",", sizes.stream().map(String::valueOf).toList()));
        }
        if (queries != null) {
            c.append(" --queries ").append(queryCount);
        }
        if (k != 1000) {
            c.append(" --k ").append(k);
        }
        if (dataset != null) {
            c.append(" --dataset ").append(kinds.size() == 2 ? "both" : kinds.getFirst().label());
        }
        if (clusters != 1000) {
            c.append(" --clusters ").append(clusters);
        }
        if (passes != null) {
            c.append(" --passes ").append(timedPasses);
        }
        if (only != null) {
            c.append(" --indexes ").append(String.join(",", only));
        }
        if (jvectorM != 32) {
            c.append(" --jvector-m ").append(jvectorM);
        }
        if (jvectorBeamWidth != null) {
            c.append(" --jvector-beam-width ").append(jvectorBeamWidth);
        }
        if (!jvectorRerank.equals(List.of(1, 2, 4))) {
            c.append(" --jvector-rerank ").append(String.join(",", jvectorRerank.stream().map(String::valueOf).toList()));
        }
        if (jvectorSpaces != null) {
            c.append(" --jvector-space ").append(String.join(",", jvectorSpaces.stream().map(Enum::name).toList()));
        }
        if (!jvectorPruning) {
            c.append(" --no-jvector-pruning");
        }
        if (buildThreads != null) {
            c.append(" --build-threads ").append(buildThreads);
        }
        if (seed != 42) {
            c.append(" --seed ").append(seed);
        }
        if (!output.equals(Path.of("bench/results"))) {
            c.append(" --output ").append(output);
        }
        return c.toString();
    }

    /** JVector's version from the Maven metadata its jar carries (kept in the shaded jar), or "unknown". */
    private static String jvectorVersion() {
        try (InputStream in = VectorizationProvider.class.getResourceAsStream("/META-INF/maven/io.github.jbellis/jvector-base/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Lower-case letters, digits and underscores, for metric names. */
    static String name(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "retrieval: " + format + "%n", args);
    }
}

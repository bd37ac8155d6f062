package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.embeddings.store.StorageType;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code store} suite: the off-heap cuckoo vector store against an on-heap
 * {@code HashMap<Long, float[]>} and a real {@code redis-server} on memory per entry, what each
 * storage type costs in quality, and get/drift/put latency (JMH) next to a Redis GET over
 * loopback measured in the same invocation. Writes {@code store.json} (the brief's result
 * format) and PNG plots beside it. Redis is installed when missing; when that is impossible its
 * figures are recorded as missing, with the reason, and the rest is still written.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Vector store: bytes per entry vs HashMap and Redis, quantization quality, get/drift/put latency.")
public final class StoreSuite implements Callable<Integer> {
    static final int[] DIMS = {64, 128, 256};
    static final int K = 100;
    static final int LATENCY_DIM = 256;

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for store.json and plots (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--entries", defaultValue = "1000000",
            description = "Entries for the memory figures (every dim and type, HashMap, Redis) and, without --large, the latency store (default ${DEFAULT-VALUE}).")
    long entries;

    @Option(names = "--large", description = "Also measure 10M entries: memory for INT8 and FP8 at 256 dims and F32 at 64, and the latency benchmarks at 10M (metrics *_10m).")
    boolean large;

    @Option(names = "--large-entries", defaultValue = "10000000",
            description = "Size of the --large runs (default ${DEFAULT-VALUE}; smaller only to smoke-test --large; metric names follow the size).")
    long largeEntries;

    @Option(names = "--redis-entries", description = "Entries loaded into Redis per dim (default: --entries; 10M x 256 dims needs ~13 GiB).")
    Long redisEntries;

    @Option(names = "--quality-vectors", defaultValue = "100000", description = "Vectors in the quality test (default ${DEFAULT-VALUE}).")
    int qualityVectors;

    @Option(names = "--queries", defaultValue = "200", description = "Queries in the recall@100 test (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--redis-gets", defaultValue = "200000", description = "Timed Redis GETs (default ${DEFAULT-VALUE}).")
    int redisGets;

    @Option(names = "--skip-redis", description = "Do not start (or install) redis-server; its figures are recorded as missing.")
    boolean skipRedis;

    @Option(names = "--quick", description = "Fewer and shorter JMH iterations (a smoke run; noisier figures).")
    boolean quick;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random vectors (default ${DEFAULT-VALUE}).")
    long seed;

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final ObjectNode details = Json.object();
    private final ObjectNode missing = Json.object();

    @Override
    public Integer call() throws Exception {
        if (entries < 1_000 || largeEntries < 1_000 || qualityVectors < K || queries < 1 || redisGets < 1) {
            throw new IllegalArgumentException("need --entries and --large-entries >= 1000, --quality-vectors >= " + K + ", --queries >= 1, --redis-gets >= 1");
        }
        long latencyEntries = large ? largeEntries : entries;
        long redisN = redisEntries != null ? redisEntries : entries;
        String size = large ? sizeSuffix(largeEntries) : "";
        details.put("entries", entries);
        details.put("latency_entries", latencyEntries);
        details.put("latency_size_note", large
                ? String.format(Locale.ROOT, "latency metrics ending in %s were measured on a store holding %,d entries", size, latencyEntries)
                : String.format(Locale.ROOT, "latency metrics were measured on a store holding %,d entries (run with --large for the _10m headline figures)", latencyEntries));
        details.put("seed", seed);
        details.put("transparent_hugepages", readFirstLine("/sys/kernel/mm/transparent_hugepage/enabled"));
        details.put("loadavg_at_start", readFirstLine("/proc/loadavg"));

        System.out.println("store: [1/4] memory per entry");
        Map<String, StoreMemory.StoreFigure> ours = memoryOfStore();
        Map<Integer, StoreMemory.MapFigure> maps = memoryOfHashMap();

        System.out.println("store: [2/4] quantization quality");
        Map<StorageType, StoreQuality.Figure> quality = quality();

        System.out.println("store: [3/4] redis-server");
        Map<Integer, Double> redisBytes = new LinkedHashMap<>();
        Histogram redisGet = redis(redisN, redisBytes);

        System.out.println("store: [4/4] latency: the machine's dependent-load latency, then JMH");
        double memoryNanos = MemoryLatency.dependentLoadNanos(1L << 30, 2_000_000, 5);
        System.out.printf("  dependent load in 1 GiB: %.0f ns%n", memoryNanos);
        metrics.put("memory_dependent_load_ns", new Metric(memoryNanos, "ns"));
        details.put("memory_dependent_load_method", "pointer chase through a random cycle of 64-byte lines in a 1 GiB "
                + "off-heap region mapped like the store's tables (huge pages with the native library); median of 5 rounds "
                + "of 2M loads. A store get on a table far larger than the caches costs at least this per cache miss: "
                + "one tag word, then one entry.");
        JmhFigures jmh = latency(latencyEntries);
        metrics.put("get_vs_dependent_load" + size, new Metric(jmh.get("get", "threads=1").median() / memoryNanos, "x"));

        headlines(ours, maps, redisBytes, redisGet, jmh, size);
        details.put("loadavg_at_end", readFirstLine("/proc/loadavg"));
        details.set("missing", missing);
        Files.createDirectories(output);
        Path file = output.resolve("store.json");
        ResultFile.write(file, "store", command(), metrics, details);
        charts(ours, maps, redisBytes, redisGet, jmh, quality);
        System.out.println("wrote " + file);
        return 0;
    }

    // ---- 1. memory -----------------------------------------------------------------------

    private Map<String, StoreMemory.StoreFigure> memoryOfStore() {
        Map<String, StoreMemory.StoreFigure> figures = new LinkedHashMap<>();
        ObjectNode memory = details.putObject("memory");
        memory.put("store_method", "each store is created for exactly N entries (so it runs at its design load of 0.92: "
                + "buckets = ceil(N / (8 x 0.92))), filled with N random vectors under keys 0..N-1 and checked; "
                + "bytes per entry = layout().totalBytes() / size(), i.e. (entry bytes + 8-byte key + 1-byte tag) / load; "
                + "rss_delta_bytes_per_entry is the process resident-set growth over the fill divided by N, a cross-check "
                + "given for tables of 64 MiB and more (null below: malloc may reuse memory of the previous table)");
        ArrayNode rows = memory.putArray("store");
        RandomVectors random = new RandomVectors(seed);
        List<long[]> runs = new ArrayList<>();
        for (int dim : DIMS) {
            for (StorageType type : StorageType.values()) {
                runs.add(new long[] {dim, type.ordinal(), entries, 0});
            }
        }
        if (large) {
            runs.add(new long[] {256, StorageType.INT8.ordinal(), largeEntries, 1});
            runs.add(new long[] {256, StorageType.FP8_E4M3.ordinal(), largeEntries, 1});
            runs.add(new long[] {64, StorageType.F32.ordinal(), largeEntries, 1});
        }
        for (long[] run : runs) {
            int dim = (int) run[0];
            StorageType type = StorageType.values()[(int) run[1]];
            long n = run[2];
            StoreMemory.StoreFigure f = StoreMemory.fillStore(dim, type, n, random);
            String suffix = run[3] == 1 ? sizeSuffix(n) : "";
            figures.put(dim + " " + type + suffix, f);
            metrics.put("bytes_per_entry_" + dim + "d_" + name(type) + suffix, new Metric(f.bytesPerEntry(), "bytes"));
            System.out.printf(Locale.ROOT, "  store %-8s %3dd %,11d entries: %7.1f bytes/entry (entry %d B, load %.3f, fill %.0f ns/put)%n",
                    type, dim, n, f.bytesPerEntry(), f.entryBytes(), f.loadFactor(), f.fillNsPerPut());
            rows.addObject().put("dim", dim).put("type", type.name()).put("entries", n)
                    .put("bytes_per_entry", f.bytesPerEntry()).put("entry_bytes", f.entryBytes())
                    .put("total_bytes", f.totalBytes()).put("load_factor", f.loadFactor())
                    .put("fill_ns_per_put_incl_vector_generation", f.fillNsPerPut())
                    .put("rss_delta_bytes_per_entry", f.rssDeltaBytes() < 0 ? null : f.rssDeltaBytes() / (double) n);
        }
        return figures;
    }

    private Map<Integer, StoreMemory.MapFigure> memoryOfHashMap() {
        Map<Integer, StoreMemory.MapFigure> figures = new LinkedHashMap<>();
        ObjectNode memory = (ObjectNode) details.get("memory");
        memory.put("hashmap_method", "HashMap<Long, float[]> presized for N, keys 0..N-1, a fresh float[dim] of random values "
                + "per entry; retained heap = used heap (MemoryMXBean) after building minus before, each read after "
                + "System.gc() rounds until two readings agree within 0.5%; divided by N. expected_bytes_per_entry is the "
                + "object-layout arithmetic for this JVM (Long + HashMap.Node + table slot + float[]).");
        memory.put("jvm_flags", "UseCompressedOops=" + StoreMemory.vmOption("UseCompressedOops")
                + " UseCompactObjectHeaders=" + StoreMemory.vmOption("UseCompactObjectHeaders")
                + " gc=" + String.join(",", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).toList())
                + " max_heap_mib=" + (Runtime.getRuntime().maxMemory() >> 20));
        ArrayNode rows = memory.putArray("hashmap");
        RandomVectors random = new RandomVectors(seed + 1);
        for (int dim : DIMS) {
            StoreMemory.MapFigure f = StoreMemory.hashMap(dim, entries, random);
            figures.put(dim, f);
            ObjectNode row = rows.addObject().put("dim", dim).put("entries", entries)
                    .put("expected_bytes_per_entry", f.expectedBytesPerEntry());
            if (f.skipped() != null) {
                row.put("skipped", f.skipped());
                missing.put("hashmap_bytes_per_entry_" + dim + "d_fp32", f.skipped());
                System.out.printf(Locale.ROOT, "  HashMap  %3dd: skipped (%s)%n", dim, f.skipped());
            } else {
                row.put("bytes_per_entry", f.bytesPerEntry());
                metrics.put("hashmap_bytes_per_entry_" + dim + "d_fp32", new Metric(f.bytesPerEntry(), "bytes"));
                System.out.printf(Locale.ROOT, "  HashMap<Long,float[]> %3dd %,d entries: %7.1f bytes/entry (layout arithmetic: %.1f)%n",
                        dim, entries, f.bytesPerEntry(), f.expectedBytesPerEntry());
            }
        }
        return figures;
    }

    // ---- 2. quality ----------------------------------------------------------------------

    private Map<StorageType, StoreQuality.Figure> quality() {
        Map<StorageType, StoreQuality.Figure> figures = new LinkedHashMap<>();
        ObjectNode q = details.putObject("quality");
        q.put("method", String.format(Locale.ROOT, "%,d random unit vectors (Gaussian, normalised: uniform on the sphere, no "
                + "cluster structure, the hardest case for ranking) of %d dims are put into a store of each type and read "
                + "back with get; mean_cosine = mean cosine(original, stored); recall@%d = mean over %d random unit queries of "
                + "|top%d(stored) ∩ top%d(original)| / %d, exact dot-product search (native SIMD kernel), queries not quantized",
                qualityVectors, LATENCY_DIM, K, queries, K, K, K));
        q.put("vectors", qualityVectors).put("dim", LATENCY_DIM).put("queries", queries).put("k", K);
        ArrayNode rows = q.putArray("types");
        long start = System.nanoTime();
        try (StoreQuality test = new StoreQuality(qualityVectors, LATENCY_DIM, queries, K, seed + 2)) {
            for (StorageType type : StorageType.values()) {
                StoreQuality.Figure f = test.measure(type);
                figures.put(type, f);
                metrics.put("mean_cosine_" + name(type), new Metric(f.meanCosine(), "cosine"));
                metrics.put("recall100_" + name(type), new Metric(f.recall(), "fraction"));
                metrics.put("recall100_loss_" + name(type), new Metric(1 - f.recall(), "fraction"));
                rows.addObject().put("type", type.name()).put("mean_cosine", f.meanCosine()).put("min_cosine", f.minCosine())
                        .put("recall_at_100", f.recall()).put("recall_at_100_loss", 1 - f.recall());
                System.out.printf(Locale.ROOT, "  %-8s mean cosine %.6f (min %.6f), recall@%d %.4f%n", type, f.meanCosine(),
                        f.minCosine(), K, f.recall());
            }
        }
        q.put("seconds", (System.nanoTime() - start) / 1e9);
        return figures;
    }

    // ---- 3. redis --------------------------------------------------------------------------

    /** Memory per dim into {@code bytesPerEntry}, then GET latency at 256 dims; null when Redis is unavailable. */
    private Histogram redis(long n, Map<Integer, Double> bytesPerEntry) {
        ObjectNode r = details.putObject("redis");
        r.put("method", "a private redis-server (--save '' --appendonly no, loopback, temp dir) started by the suite; for "
                + "each dim: FLUSHALL, used_memory from INFO memory, N pipelined SETs of keys u:<id> to binary little-endian "
                + "FP32 strings (4 x dim bytes) over one Jedis connection, used_memory again; bytes per entry = delta / N. "
                + "GET latency: one request at a time over loopback (Jedis, value decoded into a float[]), random keys of the "
                + "256-dim set, timed with System.nanoTime into an HdrHistogram after a warm-up");
        r.put("entries", n);
        String reason = skipRedis ? "skipped (--skip-redis)" : RedisPeer.ensureInstalled();
        if (reason == null) {
            try (RedisPeer redis = RedisPeer.start()) {
                Map<String, String> server = redis.info("server");
                Map<String, String> memoryInfo = redis.info("memory");
                r.put("version", server.get("redis_version")).put("allocator", memoryInfo.get("mem_allocator"))
                        .put("port", redis.port());
                System.out.printf("  redis %s (%s) on 127.0.0.1:%d%n", server.get("redis_version"), memoryInfo.get("mem_allocator"), redis.port());
                ArrayNode rows = r.putArray("memory");
                RandomVectors random = new RandomVectors(seed + 3);
                for (int dim : DIMS) {
                    redis.flushAll();
                    long before = redis.usedMemory();
                    double seconds = redis.load(dim, n, random);
                    Map<String, String> after = redis.info("memory");
                    long used = Long.parseLong(after.get("used_memory"));
                    long keys = redis.dbSize();
                    if (keys != n) {
                        throw new IllegalStateException("redis holds " + keys + " keys, expected " + n);
                    }
                    double perEntry = (used - before) / (double) n;
                    bytesPerEntry.put(dim, perEntry);
                    metrics.put("redis_bytes_per_entry_" + dim + "d_fp32", new Metric(perEntry, "bytes"));
                    rows.addObject().put("dim", dim).put("entries", n).put("used_memory_before", before)
                            .put("used_memory_after", used).put("used_memory_rss_after", Long.parseLong(after.get("used_memory_rss")))
                            .put("bytes_per_entry", perEntry).put("value_bytes", dim * Float.BYTES)
                            .put("load_seconds", seconds).put("sets_per_s", n / seconds);
                    System.out.printf(Locale.ROOT, "  redis %3dd %,d entries: %7.1f bytes/entry (value %d B; loaded in %.1f s)%n",
                            dim, n, perEntry, dim * Float.BYTES, seconds);
                }
                int warmup = Math.min(20_000, redisGets);
                Histogram h = redis.getLatency(n, LATENCY_DIM, warmup, redisGets, random);
                r.putObject("get_256d_ns").put("count", h.getTotalCount()).put("warmup", warmup)
                        .put("p50", h.getValueAtPercentile(50)).put("p90", h.getValueAtPercentile(90))
                        .put("p99", h.getValueAtPercentile(99)).put("p999", h.getValueAtPercentile(99.9))
                        .put("mean", h.getMean()).put("min", h.getMinValue()).put("max", h.getMaxValue());
                System.out.printf(Locale.ROOT, "  redis GET 256d over loopback: p50 %,d ns, p99 %,d ns (%,d requests)%n",
                        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getTotalCount());
                return h;
            } catch (Exception e) {
                reason = "redis-server run failed: " + e;
                e.printStackTrace(System.out);
            }
        }
        System.out.println("  redis figures missing: " + reason);
        r.put("unavailable", reason);
        for (int dim : DIMS) {
            if (!bytesPerEntry.containsKey(dim)) {
                missing.put("redis_bytes_per_entry_" + dim + "d_fp32", reason);
            }
        }
        if (!bytesPerEntry.containsKey(256)) {
            missing.put("memory_ratio_vs_redis_256d", reason);
        }
        for (String m : List.of("redis_get_ns_p50_256d_fp32", "redis_get_ns_p99_256d_fp32", "redis_get_vs_store_get_p50")) {
            missing.put(m, reason);
        }
        return null;
    }

    // ---- 4. latency --------------------------------------------------------------------------

    private JmhFigures latency(long n) throws Exception {
        details.putObject("latency").put("method", "JMH, AverageTime (ns/op), one fork per benchmark and thread count, a "
                + "store of " + n + " entries of " + LATENCY_DIM + "-dim INT8 filled in the fork's trial setup; every op "
                + "on a uniformly random key of the filled set; put overwrites an existing entry, drift moves it 10% "
                + "toward a random unit vector. The *_ns_p50 figures are the median of the per-iteration mean ns/op "
                + "(JMH iterations), with min and max over iterations in details.jmh; they are not per-operation "
                + "percentiles. With 2 threads the figure is the mean time per op of each thread. gets_per_s_per_core = "
                + "1e9 / single-thread get ns. ffm_downcall_floor_ns = DowncallBenchmark.criticalOffHeap (a critical "
                + "FFM downcall doing 4 multiply-adds), measured in the same run: the least a table in C++ would add per call.");
        List<RunResult> results = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(StoreBenchmark.class.getName() + "\\.(get|drift|put)$")
                    .param("entries", Long.toString(n))
                    .param("dim", Integer.toString(LATENCY_DIM))
                    .param("type", StorageType.INT8.name())
                    .threads(threads)
                    .shouldFailOnError(true)
                    .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
            if (threads == 1) {
                options.include(DowncallBenchmark.class.getName() + "\\.criticalOffHeap$");
            }
            if (quick) {
                options.warmupIterations(1).measurementIterations(3)
                        .warmupTime(TimeValue.milliseconds(300)).measurementTime(TimeValue.milliseconds(300));
            }
            results.addAll(new Runner(options.build()).run());
        }
        JmhFigures figures = new JmhFigures(results);
        ObjectNode raw = details.putObject("jmh");
        figures.all().forEach((key, f) -> raw.putObject(key).put("median", f.median()).put("min", f.min())
                .put("max", f.max()).put("unit", f.unit()));
        return figures;
    }

    // ---- headlines, charts -------------------------------------------------------------------

    private void headlines(Map<String, StoreMemory.StoreFigure> ours, Map<Integer, StoreMemory.MapFigure> maps,
                           Map<Integer, Double> redisBytes, Histogram redisGet, JmhFigures jmh, String size) {
        double int8 = ours.get("256 INT8").bytesPerEntry();
        double fp8 = ours.get("256 FP8_E4M3").bytesPerEntry();
        Double redis256 = redisBytes.get(256);
        if (redis256 != null) {
            metrics.put("memory_ratio_vs_redis_256d", new Metric(redis256 / int8, "x"));
            metrics.put("memory_ratio_vs_redis_256d_fp8", new Metric(redis256 / fp8, "x"));
            metrics.put("memory_ratio_vs_redis_256d_f32", new Metric(redis256 / ours.get("256 F32").bytesPerEntry(), "x"));
        }
        StoreMemory.MapFigure map256 = maps.get(256);
        if (map256.skipped() == null) {
            metrics.put("memory_ratio_vs_hashmap_256d", new Metric(map256.bytesPerEntry() / int8, "x"));
        }
        ObjectNode latency = (ObjectNode) details.get("latency");
        for (String op : List.of("get", "drift", "put")) {
            for (int threads : new int[] {1, 2}) {
                JmhFigures.Figure f = jmh.get(op, "threads=" + threads);
                String key = op + "_ns_p50" + size + (threads == 2 ? "_2t" : "");
                metrics.put(key, new Metric(f.median(), "ns"));
                latency.putObject(key).put("median", f.median()).put("min", f.min()).put("max", f.max());
            }
        }
        JmhFigures.Figure get1 = jmh.get("get", "threads=1");
        JmhFigures.Figure get2 = jmh.get("get", "threads=2");
        metrics.put("gets_per_s_per_core" + size, new Metric(1e9 / get1.median(), "ops/s"));
        metrics.put("gets_per_s" + size + "_2t", new Metric(2e9 / get2.median(), "ops/s"));
        metrics.put("drifts_per_s_per_core" + size, new Metric(1e9 / jmh.get("drift", "threads=1").median(), "ops/s"));
        metrics.put("ffm_downcall_floor_ns", new Metric(jmh.get("criticalOffHeap").median(), "ns"));
        if (redisGet != null) {
            metrics.put("redis_get_ns_p50_256d_fp32", new Metric(redisGet.getValueAtPercentile(50), "ns"));
            metrics.put("redis_get_ns_p99_256d_fp32", new Metric(redisGet.getValueAtPercentile(99), "ns"));
            metrics.put("redis_get_vs_store_get_p50", new Metric(redisGet.getValueAtPercentile(50) / get1.median(), "x"));
        }
    }

    private void charts(Map<String, StoreMemory.StoreFigure> ours, Map<Integer, StoreMemory.MapFigure> maps,
                        Map<Integer, Double> redisBytes, Histogram redisGet, JmhFigures jmh,
                        Map<StorageType, StoreQuality.Figure> quality) {
        List<String> categories = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (StorageType type : StorageType.values()) {
            categories.add(type == StorageType.FP8_E4M3 ? "FP8" : type.name());
            values.add(ours.get("256 " + type).bytesPerEntry());
        }
        if (maps.get(256).skipped() == null) {
            categories.add("HashMap");
            values.add(maps.get(256).bytesPerEntry());
        }
        if (redisBytes.containsKey(256)) {
            categories.add("Redis");
            values.add(redisBytes.get(256));
        }
        Charts.bar(output.resolve("store-bytes-per-entry.png"),
                String.format(Locale.ROOT,
                "Bytes per 256-dim vector, %,d entries: store per type, HashMap<Long,float[]>, Redis FP32 strings", entries), "bytes per entry", categories, values);

        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2}) {
            List<Double> ns = new ArrayList<>();
            for (String op : List.of("get", "drift", "put")) {
                ns.add(jmh.get(op, "threads=" + threads).median());
            }
            series.put(threads + (threads == 1 ? " thread" : " threads"), ns);
        }
        long n = large ? largeEntries : entries;
        Charts.bars(output.resolve("store-latency.png"),
                String.format(Locale.ROOT, "Store latency, 256-dim INT8, %,d entries (JMH median; 2 threads: time per op of each)", n), "ns per op",
                List.of("get", "drift", "put"), series, false);

        List<String> hop = new ArrayList<>(List.of("FFM downcall", "store get", "store drift"));
        List<Double> hopNs = new ArrayList<>(List.of(jmh.get("criticalOffHeap").median(),
                jmh.get("get", "threads=1").median(), jmh.get("drift", "threads=1").median()));
        if (redisGet != null) {
            hop.addAll(List.of("Redis GET p50", "Redis GET p99"));
            hopNs.addAll(List.of((double) redisGet.getValueAtPercentile(50), (double) redisGet.getValueAtPercentile(99)));
        }
        Charts.bars(output.resolve("store-get-vs-redis.png"), "256-dim vector: in-process store (JMH median) vs Redis GET over loopback (log scale)",
                "ns", hop, Map.of("ns", hopNs), true);

        List<String> types = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        quality.forEach((type, f) -> {
            types.add(type.name());
            loss.add(100 * (1 - f.recall()));
        });
        Charts.bar(output.resolve("store-recall-loss.png"),
                String.format(Locale.ROOT, "recall@%d loss per storage type (%,d x %d-dim unit vectors)", K, qualityVectors, LATENCY_DIM),
                "% of recall@100 lost", types, loss);
    }

    private String command() {
        StringBuilder c = new StringBuilder("./feedserver bench store");
        if (entries != 1_000_000) {
            c.append(" --entries ").append(entries);
        }
        if (large) {
            c.append(" --large");
        }
        if (largeEntries != 10_000_000) {
            c.append(" --large-entries ").append(largeEntries);
        }
        if (redisEntries != null) {
            c.append(" --redis-entries ").append(redisEntries);
        }
        if (qualityVectors != 100_000) {
            c.append(" --quality-vectors ").append(qualityVectors);
        }
        if (queries != 200) {
            c.append(" --queries ").append(queries);
        }
        if (redisGets != 200_000) {
            c.append(" --redis-gets ").append(redisGets);
        }
        if (skipRedis) {
            c.append(" --skip-redis");
        }
        if (quick) {
            c.append(" --quick");
        }
        if (seed != 42) {
            c.append(" --seed ").append(seed);
        }
        if (!output.equals(Path.of("bench/results"))) {
            c.append(" --output ").append(output);
        }
        return c.toString();
    }

    /** "_10m" for 10,000,000, "_1m", "_50k", else "_" + n. */
    static String sizeSuffix(long n) {
        if (n % 1_000_000 == 0) {
            return "_" + n / 1_000_000 + "m";
        }
        return n % 1_000 == 0 ? "_" + n / 1_000 + "k" : "_" + n;
    }

    static String name(StorageType type) {
        return type == StorageType.FP8_E4M3 ? "fp8" : type.name().toLowerCase(Locale.ROOT);
    }

    static String readFirstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).getFirst().trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

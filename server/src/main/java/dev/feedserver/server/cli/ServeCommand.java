package dev.feedserver.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.nativelib.KernelBackend;
import dev.feedserver.nativelib.NativeKernels;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.durability.Durability;
import dev.feedserver.ranking.durability.EventLog;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.Int8Ranker;
import dev.feedserver.ranking.rank.Ranker;
import dev.feedserver.ranking.rank.OnlineCalibrator;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RankerRegistry;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.server.app.FeedServerApp;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.server.baseline.RedisUserVectors;
import dev.feedserver.server.baseline.RemoteRanker;
import dev.feedserver.server.metrics.CalibrationGauges;
import dev.feedserver.server.generate.GenerationCounters;
import dev.feedserver.server.generate.GenerationRuntime;
import dev.feedserver.server.metrics.GenerationGauges;
import dev.feedserver.server.app.Checkpointer;
import dev.feedserver.server.app.UserExpiry;
import dev.feedserver.server.app.FeedService;
import dev.feedserver.server.http.HttpConfig;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code feedserver serve}: opens the HTTP port, loads or generates the data, trains the model,
 * then turns ready; runs until SIGINT/SIGTERM, then drains gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the feed server (synthetic data by default; no external service needed).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    RankerOptions ranking = new RankerOptions();

    @Mixin
    SecurityOptions security = new SecurityOptions();

    @Mixin
    GenerationOptions generation = new GenerationOptions();

    @Mixin
    BaselineServingOptions baseline = new BaselineServingOptions();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "data", description = "Where the server writes its files (default ${DEFAULT-VALUE}); server.json there names the bound port.")
    Path dataDir;

    @Option(names = "--io-threads", defaultValue = "1", description = "Netty event-loop threads (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--workers", description = "Request worker threads (default: available processors).")
    Integer workers;

    @Option(names = "--queue", defaultValue = "256", description = "Requests that may wait for a worker before 503 (default ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-queue-wait-ms", defaultValue = "100",
            description = "A request that waited this long for a worker is answered 503 unrun, so accepted requests keep a bounded "
                    + "latency under overload (default ${DEFAULT-VALUE}).")
    int maxQueueWaitMillis;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-header-bytes", defaultValue = "16384", description = "Largest request header block (default ${DEFAULT-VALUE}).")
    int maxHeaderBytes;

    @Option(names = "--max-batch", defaultValue = "1000", description = "Most events per POST /v1/events (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--user-ttl", description = "Forget users idle longer than this, e.g. PT720H or P30D (default: never).")
    java.time.Duration userTtl;

    @Option(names = "--durability", defaultValue = "FSYNC",
            description = "When an event batch is acknowledged: FSYNC (after fsync, group-committed: nothing acknowledged is lost), "
                    + "INTERVAL (after the write, fsync every --fsync-interval: power loss may lose that interval), "
                    + "NONE (after the write: power loss may lose what the kernel had not written back) (default ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--fsync-interval", defaultValue = "PT0.05S", description = "fsync period of --durability INTERVAL (default ${DEFAULT-VALUE}).")
    java.time.Duration fsyncInterval;

    @Option(names = "--event-log-dir", description = "Where the event log's segments live (default: <data-dir>/events).")
    Path eventLogDir;

    @Option(names = "--segment-bytes", defaultValue = "67108864", description = "Event-log segment size before a new one starts (default ${DEFAULT-VALUE}).")
    long segmentBytes;

    @Option(names = "--log-retention-bytes", defaultValue = "0",
            description = "Keep covered event-log segments while the log is within this many bytes (0: no size bound; with no --log-retention-age either, covered segments are deleted at each checkpoint; default ${DEFAULT-VALUE}).")
    long logRetentionBytes;

    @Option(names = "--log-retention-age", defaultValue = "PT0S",
            description = "Keep covered event-log segments written within this long, e.g. P7D (PT0S: no age bound; default ${DEFAULT-VALUE}).")
    java.time.Duration logRetentionAge;

    @Option(names = "--checkpoint-interval", defaultValue = "PT10M",
            description = "How often the model is checkpointed (a restart then replays only the log after it); PT0S = only at shutdown (default ${DEFAULT-VALUE}).")
    java.time.Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", description = "Where checkpoints live (default: <data-dir>/checkpoints).")
    Path checkpointDir;

    @Option(names = "--idle-timeout", defaultValue = "60", description = "Seconds before an idle connection is closed (default ${DEFAULT-VALUE}).")
    int idleTimeout;

    @Override
    public Integer call() throws Exception {
        HttpConfig http = new HttpConfig(host, port, ioThreads, workers == null ? Runtime.getRuntime().availableProcessors() : workers,
                queue, maxBodyBytes, maxHeaderBytes, maxBatch, idleTimeout, maxQueueWaitMillis);
        var world = model.world();
        var als = model.als();
        var feed = model.feed();
        var learning = model.learning();
        LOG.info("configuration: dataset={} {} {} {} {} {} data-dir={} {}", model.dataset, world, als, feed, learning, http,
                dataDir.toAbsolutePath(), baseline.describe());
        if (KernelBackend.current() == KernelBackend.NATIVE) {
            LOG.info("kernels: {} ({}); {}", NativeKernels.info(), NativeKernels.dispatchNote(), KernelBackend.reason());
        } else {
            LOG.warn("kernels: {}", KernelBackend.reason());
        }
        Files.createDirectories(dataDir);

        long start = System.nanoTime();
        var auth = security.auth();
        var rateLimits = security.rateLimits();
        var connectionLimits = security.connectionLimits();
        var keys = security.keyWatcher(auth);
        var admission = SecurityOptions.admission(auth, keys, rateLimits);
        String authLine = auth.describe(keys == null ? 0 : keys.current().size());
        LOG.info("{}; {}; {}", authLine, rateLimits.describe(), connectionLimits);
        System.out.println("feedserver " + authLine);
        FeedServerApp app = new FeedServerApp(http, connectionLimits, admission);
        admission.start();
        app.closeOnStop(admission);
        app.metrics().gauge("feedserver_content_encoder_load_failures", ContentEncoders::loadFailures);
        app.metrics().gauge("feedserver_rate_limited_total", admission::limited);
        app.metrics().gauge("feedserver_rate_limit_clients", admission::trackedClients);
        if (keys != null) {
            keys.start();
            app.closeOnStop(keys);
            app.metrics().gauge("feedserver_api_keys", () -> keys.current().size());
            app.metrics().gauge("feedserver_keys_reloads_total", keys::reloads);
            app.metrics().gauge("feedserver_keys_reload_failures_total", keys::failures);
        }
        app.metrics().info("kernel_backend", KernelBackend.current().name().toLowerCase(java.util.Locale.ROOT));
        app.metrics().info("native_isa", KernelBackend.current() == KernelBackend.NATIVE ? NativeKernels.info().isa() : "none");
        app.metrics().info("dataset", model.dataset.toString());
        ModelRegistry generationModels = generation.registry(); // before binding: a bad --text-model fails fast
        var generationSettings = generation.settings(dataDir);
        int boundPort = app.start();
        ModelScheduler generationScheduler = startGeneration(app, generationModels);
        GenerationCounters generationCounters = new GenerationCounters(generationSettings.price());
        GenerationRuntime.registerMetrics(app.metrics(), app.generation(), generationCounters);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            stopped.countDown();
        }, "feedserver-shutdown"));
        writeServerFile(boundPort, app.transport());
        System.out.println("feedserver listening on http://" + host + ":" + boundPort + " (" + app.transport() + "); loading " + model.dataset);
        System.out.flush();

        try {
            Dataset dataset = Loading.dataset(model.dataset, world);
            FeedModel feedModel;
            RankerModel rankerModel = null;
            if (ranking.mode() == RankerOptions.Mode.NONE) {
                Factors factors = Loading.train(dataset, dataset.interactions(), als);
                feedModel = ModelTrainer.build(dataset, dataset.interactions(), factors, feed, model.userStore(dataset.userIds().size()), true);
            } else {
                RankedModels.Built built = RankedModels.build(dataset, dataset.interactions(), als, feed,
                        model.userStore(dataset.userIds().size()), learning, ranking, dataDir.resolve("ranker"), true, false);
                feedModel = built.model();
                rankerModel = built.ranker();
            }
            Path logDir = eventLogDir != null ? eventLogDir : dataDir.resolve("events");
            EventLog log = EventLog.open(logDir, durability, segmentBytes, fsyncInterval);
            log.setRetention(new dev.feedserver.ranking.durability.LogRetention(logRetentionBytes, logRetentionAge));
            InteractionApplier applier = new InteractionApplier(feedModel, learning);
            ChangeJournal journal = new ChangeJournal(feedModel, applier, log);
            Path checkpoints = checkpointDir != null ? checkpointDir : dataDir.resolve("checkpoints");
            ChangeJournal.RecoveryResult recovered = journal.recover(checkpoints);
            ChangeJournal.ReplayResult replayed = recovered.replay();
            LOG.info("recovery: checkpoint {} (sequence {}, {} ms); event log {} ({}): replayed {} records, {} events ({} skipped) in {} ms; next sequence {}",
                    recovered.checkpoint() == null ? "none" : recovered.checkpoint().getFileName(), recovered.checkpointSequence(),
                    recovered.checkpointMillis(), logDir.toAbsolutePath(), durability, replayed.records(), replayed.events(),
                    replayed.skippedEvents(), replayed.millis(), log.nextSequence());
            OnlineCalibrator calibrator = new OnlineCalibrator(rankerModel == null ? ranking.calibration().withEnabled(false) : ranking.calibration());
            LOG.info("online calibration: {} (impression store up to {} MiB)", calibrator.config(), calibrator.config().impressionBytes() >> 20);
            // Joins start after recovery: replayed events have no impressions to join.
            RedisUserVectors redisUsers = null;
            if (baseline.userVectors != null) {
                redisUsers = RedisUserVectors.connect(baseline.userVectors, feedModel.users());
                app.closeOnStop(redisUsers);
                app.metrics().gauge("feedserver_baseline_redis_failed_writes_total", redisUsers::failedWrites);
                LOG.info("baseline: {} user vectors written to {}; feeds read them from there", redisUsers.loadAll(dataset.userIds()),
                        baseline.userVectors);
                RedisUserVectors mirror = redisUsers;
                applier.listen((event, item, weight) -> {
                    calibrator.applied(event, item, weight);
                    mirror.applied(event, item, weight);
                });
            } else {
                applier.listen(calibrator);
            }
            RankerRegistry rankers = new RankerRegistry(calibrator);
            CalibrationGauges.register(app.metrics(), calibrator);
            FeatureSchema rankerSchema = null;
            if (rankerModel != null) {
                rankerSchema = rankerModel.schema();
                long rankerStart = System.nanoTime();
                Ranker ranker;
                if (baseline.remoteRanker != null) {
                    ranker = RemoteRanker.connect(rankerModel, feedModel, baseline.remoteRanker, baseline.remoteRankerTimeout);
                    LOG.info("baseline: ranker {} ({} features) scores on the model server at {}", ranker.version(),
                            rankerSchema.width(), baseline.remoteRanker);
                } else {
                    Int8Ranker int8;
                    try (Progress progress = Progress.start("load ranker " + rankerModel.version(), feedModel.catalog().size())) {
                        int8 = new Int8Ranker(rankerModel, feedModel, progress::stepTo);
                    }
                    LOG.info("ranker {}: {} features ({}), int8 weights {} KiB, item cache {} MiB, loaded in {} ms", int8.version(),
                            rankerSchema.width(), rankerSchema.id(), int8.weightBytes() / 1024, int8.itemCacheBytes() >> 20,
                            (System.nanoTime() - rankerStart) / 1_000_000);
                    ranker = int8;
                }
                rankers.swap(ranker);
                app.metrics().info("ranker_version", ranker.version());
            } else if (baseline.remoteRanker != null) {
                throw new IllegalArgumentException("--remote-ranker needs a ranker model (--ranker train or FILE), not --ranker none");
            } else {
                app.metrics().info("ranker_version", FeedPipeline.LINEAR);
            }
            app.metrics().gauge("feedserver_ranker_swaps_total", rankers::swaps);
            long featureWidth = rankerSchema == null ? 0 : rankerSchema.width();
            app.metrics().gauge("feedserver_ranker_feature_width", () -> featureWidth);
            FeedService service = new FeedService(dataset.name(), feedModel, new FeedPipeline(feedModel, feed, rankers, ranking.weights(), null,
                    redisUsers != null ? redisUsers : feedModel.users()::read),
                    journal, rankers, rankerSchema);
            app.metrics().gauge("feedserver_event_log_durable_sequence", log::durableSequence);
            app.metrics().gauge("feedserver_index_rebuilds_total", feedModel::indexRebuilds);
            app.metrics().gauge("feedserver_index_last_rebuild_millis", () -> feedModel.lastRebuildNanos() / 1_000_000);
            app.metrics().gauge("feedserver_event_log_bytes", () -> {
                try {
                    return log.bytes();
                } catch (IOException e) {
                    return -1; // the directory could not be listed; the failure shows up on writes too
                }
            });
            app.metrics().gauge("feedserver_event_log_replayed_events", replayed::events);
            if (generation.hasTextModel()) {
                FeedModel servedModel = feedModel;
                GenerationRuntime.start(app, generationScheduler, () -> servedModel, journal, generationCounters,
                        generationSettings);
            } else {
                app.generation().unavailable("generation needs a text model: start the server with --text-model FILE "
                        + "(a llama2.c checkpoint, e.g. ../shared/models/stories260K/stories260K.bin)");
            }
            app.publish(service);
            Checkpointer checkpointer = new Checkpointer(journal, checkpoints, checkpointInterval);
            if (!checkpointInterval.isZero()) {
                checkpointer.start();
            }
            app.closeOnStop(checkpointer);
            app.metrics().gauge("feedserver_checkpoints_written", checkpointer::written);
            app.metrics().gauge("feedserver_checkpoint_last_millis", checkpointer::lastMillis);
            if (userTtl != null) {
                UserExpiry expiry = new UserExpiry(feedModel.users().store(), userTtl);
                expiry.start();
                app.closeOnStop(expiry);
                app.metrics().gauge("feedserver_users_expired_total", expiry::expired);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("ready in {} s: {} users, {} items", String.format("%.1f", seconds), feedModel.users().size(), feedModel.catalog().size());
            System.out.println("feedserver ready in " + String.format("%.1f", seconds) + " s");
            System.out.flush();
        } catch (RuntimeException | IOException e) {
            LOG.error("loading failed; the server stays up but not ready", e);
            app.loadFailed(e.getMessage());
        }
        stopped.await();
        return 0;
    }

    /**
     * The generation runtime: the registry with MiniLM and FreeTTS, and its scheduler (models
     * load only when a task needs them), with its statistics in /metrics; closed at shutdown.
     */
    private ModelScheduler startGeneration(FeedServerApp app, ModelRegistry registry) {
        ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults().withBudgetBytes(generation.memoryBudget));
        scheduler.start();
        app.closeOnStop(scheduler);
        GenerationGauges.register(app.metrics(), scheduler);
        LOG.info("generation: budget {} MiB, models {}", generation.memoryBudget >> 20, registry.names());
        return scheduler;
    }

    private void writeServerFile(int boundPort, String transport) throws IOException {
        ObjectNode info = Json.object();
        info.put("pid", ProcessHandle.current().pid());
        info.put("host", host);
        info.put("port", boundPort);
        info.put("transport", transport);
        info.put("dataset", model.dataset.toString());
        info.put("started_at", Instant.now().toString());
        Path tmp = dataDir.resolve("server.json.tmp");
        Files.write(tmp, Json.bytes(info));
        Files.move(tmp, dataDir.resolve("server.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

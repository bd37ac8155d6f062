package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.durability.Durability;
import dev.feedserver.ranking.durability.EventLog;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.learning.EventType;
import dev.feedserver.ranking.learning.Interaction;
import dev.feedserver.ranking.learning.InteractionApplier;
import dev.feedserver.ranking.learning.LearningConfig;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ingest} suite: how many interaction events per second the durable write path takes
 * ({@link ChangeJournal#submitEvents}: reserve users, append the batch to the {@link EventLog},
 * apply every event to the live model, then wait for durability), and how long a client waits
 * for its acknowledgement, for each {@link Durability} mode and number of concurrent writers.
 * The event is visible to the next feed request before the acknowledgement in every mode (it is
 * applied first), so the acknowledgement latency bounds event-to-visible. HTTP is not included
 * (the load generator measures it). The log goes to {@code --log-dir}, on the disk under test.
 *
 * <p>Each point runs writers for {@code --seconds} after a one-second warm-up; writers send
 * batches of {@code --batch} events for random users and items of a small trained synthetic
 * world. Plain timed loops with HdrHistogram, not JMH: the quantity is a throughput of a
 * multi-threaded system with I/O. Writes {@code ingest.json} and {@code ingest-throughput.png}.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Durable event ingest: events/s and acknowledgement latency per durability mode and writer count.")
public final class IngestSuite implements Callable<Integer> {
    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for ingest.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--log-dir", description = "Where the event logs are written (default: a temporary folder under bench/target).")
    Path logDir;

    @Option(names = "--writers", split = ",", defaultValue = "1,2,8,32", description = "Concurrent writers per point (the server runs one per worker thread, --workers, default the core count) (default ${DEFAULT-VALUE}).")
    List<Integer> writers;

    @Option(names = "--batch", defaultValue = "50", description = "Events per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "4", description = "Measured seconds per point (default ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || seconds < 1 || writers.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("--batch, --seconds and every --writers must be >= 1");
        }
        Path logs = logDir != null ? logDir : Path.of("bench", "target", "ingest-logs");
        Files.createDirectories(logs);
        System.err.println("ingest: training a small synthetic world (2,000 users, 2,000 items, 32 factors)");
        Dataset world = SyntheticWorld.generate(new SyntheticWorldSpec(1, 2_000, 2_000, 16, 20), n -> { });
        Factors factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(32, 4, 0.1f, 5f, 1), n -> { });
        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        details.put("batch", batch).put("seconds_per_point", seconds).put("log_dir", logs.toAbsolutePath().toString())
                .put("loadavg_at_start", StoreSuite.readFirstLine("/proc/loadavg"));
        ArrayNode rows = details.putArray("rows");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<String> categories = writers.stream().map(w -> w + " writers").toList();
        for (Durability mode : Durability.values()) {
            List<Double> rates = new ArrayList<>();
            for (int threads : writers) {
                Path dir = Files.createTempDirectory(logs, mode.name().toLowerCase(Locale.ROOT) + "-");
                try (FeedModel model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT,
                        UserStoreConfig.forUsers(200_000), true);
                     EventLog log = EventLog.open(dir, mode, 64L << 20, Duration.ofMillis(50))) {
                    ChangeJournal journal = new ChangeJournal(model, new InteractionApplier(model, LearningConfig.DEFAULT), log);
                    Point point = run(journal, world, threads);
                    String key = mode.name().toLowerCase(Locale.ROOT) + "_" + threads + "w";
                    metrics.put("events_per_s_" + key, new Metric(point.eventsPerSecond(), "events/s"));
                    metrics.put("ack_p50_us_" + key, new Metric(point.p50Micros(), "us"));
                    metrics.put("ack_p99_us_" + key, new Metric(point.p99Micros(), "us"));
                    rows.addObject().put("durability", mode.name()).put("writers", threads).put("batch", batch)
                            .put("events_per_s", point.eventsPerSecond()).put("batches", point.batches())
                            .put("ack_p50_us", point.p50Micros()).put("ack_p90_us", point.p90Micros())
                            .put("ack_p99_us", point.p99Micros()).put("ack_max_us", point.maxMicros())
                            .put("log_bytes", log.bytes());
                    System.out.printf(Locale.ROOT, "%-8s %3d writers  %,12.0f events/s  ack p50 %,9.1f us  p99 %,9.1f us%n",
                            mode, threads, point.eventsPerSecond(), point.p50Micros(), point.p99Micros());
                    rates.add(point.eventsPerSecond());
                }
                deleteTree(dir);
            }
            series.put(mode.name(), rates);
        }
        measureReplay(world, factors, logs, metrics, details);
        details.put("loadavg_at_end", StoreSuite.readFirstLine("/proc/loadavg"));
        Path file = output.resolve("ingest.json");
        ResultFile.write(file, "ingest", "./feedserver bench ingest", metrics, details);
        Charts.bars(output.resolve("ingest-throughput.png"),
                String.format(Locale.ROOT, "Durable event ingest (batches of %d, log + apply + durability)", batch),
                "events per second", categories, series, false);
        System.out.println("wrote " + file);
        return 0;
    }

    @Option(names = "--replay-events", defaultValue = "2000000", description = "Events written and then replayed for the recovery figures (default ${DEFAULT-VALUE}).")
    int replayEvents;

    @Option(names = "--replay-users", defaultValue = "1000000", description = "Distinct user ids those events are spread over (default ${DEFAULT-VALUE}).")
    int replayUsers;

    /**
     * Recovery speed: writes {@code replayEvents} events (batches of {@code batch}) for users drawn
     * from {@code replayUsers} ids through the journal, then replays the log into a freshly built
     * model, as a restart does; then checkpoints that state and restores it into another.
     */
    private void measureReplay(Dataset world, Factors factors, Path logs, Map<String, Metric> metrics, ObjectNode details)
            throws Exception {
        UserStoreConfig store = UserStoreConfig.forUsers(replayUsers + world.userIds().size());
        Path dir = Files.createTempDirectory(logs, "replay-");
        SplittableRandom random = new SplittableRandom(7);
        EventType[] types = {EventType.CLICK, EventType.VIEW, EventType.LIKE, EventType.SKIP};
        try (FeedModel model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT,
                store, true);
             EventLog log = EventLog.open(dir, Durability.NONE, 64L << 20, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(model, new InteractionApplier(model, LearningConfig.DEFAULT), log);
            for (int written = 0; written < replayEvents; written += batch) {
                List<Interaction> events = new ArrayList<>(batch);
                for (int e = 0; e < batch; e++) {
                    events.add(new Interaction("user-" + random.nextInt(replayUsers), world.items().get(random.nextInt(world.items().size())).id(),
                            types[random.nextInt(types.length)], 0, 1_700_000_000_000L + written));
                }
                journal.submitEvents(events);
            }
            details.put("replay_log_bytes", log.bytes());
        }
        System.err.printf("ingest: wrote %,d events; replaying them into a fresh model%n", replayEvents);
        try (FeedModel model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT,
                store, true);
             EventLog log = EventLog.open(dir, Durability.NONE, 64L << 20, Duration.ofMillis(50))) {
            ChangeJournal journal = new ChangeJournal(model, new InteractionApplier(model, LearningConfig.DEFAULT), log);
            ChangeJournal.ReplayResult result = journal.replay();
            double seconds = Math.max(1, result.millis()) / 1e3;
            metrics.put("replay_events_per_s", new Metric(result.events() / seconds, "events/s"));
            metrics.put("replay_seconds_per_million_events", new Metric(seconds * 1e6 / Math.max(1, result.events()), "s"));
            details.putObject("replay").put("events", result.events()).put("records", result.records())
                    .put("millis", result.millis()).put("user_ids", replayUsers);
            System.out.printf(Locale.ROOT, "replay   %,d events in %.2f s: %,.0f events/s%n", result.events(), seconds, result.events() / seconds);

            // The same state as a checkpoint: write it, then restore it into another fresh model.
            Path checkpoints = dir.resolve("checkpoints");
            long start = System.nanoTime();
            Path file = journal.checkpoint(checkpoints);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            long users = model.users().size();
            try (FeedModel target = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT,
                    store, true)) {
                start = System.nanoTime();
                dev.feedserver.ranking.durability.ModelCheckpoint.restore(target, file);
                double restoreSeconds = (System.nanoTime() - start) / 1e9;
                metrics.put("checkpoint_write_s", new Metric(writeSeconds, "s"));
                metrics.put("checkpoint_restore_s", new Metric(restoreSeconds, "s"));
                details.putObject("checkpoint").put("users", users).put("bytes", Files.size(file))
                        .put("write_s", writeSeconds).put("restore_s", restoreSeconds);
                System.out.printf(Locale.ROOT, "checkpoint of %,d users (%,d bytes): write %.2f s, validate + restore %.2f s%n",
                        users, Files.size(file), writeSeconds, restoreSeconds);
            }
        }
        deleteTree(dir);
    }

    private record Point(double eventsPerSecond, long batches, double p50Micros, double p90Micros, double p99Micros, double maxMicros) {
    }

    private Point run(ChangeJournal journal, Dataset world, int threads) throws InterruptedException {
        Recorder latencies = new Recorder(3);
        AtomicLong events = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> pool = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(id);
                EventType[] types = {EventType.CLICK, EventType.VIEW, EventType.LIKE, EventType.SKIP};
                while (!stop.get()) {
                    List<Interaction> events0 = new ArrayList<>(batch);
                    for (int e = 0; e < batch; e++) {
                        events0.add(new Interaction("user-" + random.nextInt(100_000), world.items().get(random.nextInt(world.items().size())).id(),
                                types[random.nextInt(types.length)], 0, System.currentTimeMillis()));
                    }
                    long start = System.nanoTime();
                    try {
                        journal.submitEvents(events0);
                    } catch (Exception e) {
                        failures.add(e);
                        return;
                    }
                    if (measuring.get()) {
                        latencies.recordValue(Math.max(1, System.nanoTime() - start));
                        events.addAndGet(batch);
                    }
                }
            }));
        }
        Thread.sleep(1_000);
        latencies.reset();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        for (Thread thread : pool) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("ingest failed: " + failures.getFirst(), failures.getFirst());
        }
        org.HdrHistogram.Histogram h = latencies.getIntervalHistogram();
        return new Point(events.get() / (elapsed / 1e9), h.getTotalCount(), h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

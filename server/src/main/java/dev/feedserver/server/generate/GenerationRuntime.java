package dev.feedserver.server.generate;

import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.ContentFormat;
import dev.feedserver.generation.orchestration.DeclaredInputsComposer;
import dev.feedserver.generation.orchestration.ImageStageRunner;
import dev.feedserver.generation.orchestration.VideoStageRunner;
import dev.feedserver.generation.orchestration.PlanExecutor;
import dev.feedserver.generation.orchestration.SpeechStageRunner;
import dev.feedserver.generation.orchestration.StageModels;
import dev.feedserver.generation.orchestration.StageRunner;
import dev.feedserver.generation.orchestration.TextStageRunner;
import dev.feedserver.generation.orchestration.TitleStageRunner;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.supply.SupplyPlanner;
import dev.feedserver.ranking.supply.SupplyPolicy;
import dev.feedserver.server.app.FeedServerApp;
import dev.feedserver.server.metrics.GenerationGauges;
import dev.feedserver.server.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Assembles the generation jobs of a server: the stage runners bound to the registered models,
 * the planner and executor, the job store, publishing to the catalogue, the supply loop and the
 * metrics; then resumes the jobs a previous run left unfinished.
 *
 * <p>Threading: {@link #start} runs once on the main thread. Lifecycle: everything it starts is
 * registered with the app and stopped at shutdown.
 */
public final class GenerationRuntime {

    /**
     * The settings it needs from the command line, checked when made.
     *
     * @param directory         where jobs and their outputs are kept
     * @param textModel         registry name of the text model
     * @param imageModel        registry name of the model the cover stage runs on
     * @param price             turns busy time into cost
     * @param maxActive         most unfinished jobs, 1..1024
     * @param retention         finished jobs are deleted this long after they end, positive
     * @param supplyJobsPerHour most supply jobs in any hour, 0..10000 (0: the supply loop is off)
     * @param supplyInterval    how often the supply loop looks, positive
     * @param supplyFormat      what the supply loop's jobs make
     */
    public record Settings(Path directory, String textModel, String imageModel, GenerationPrice price, int maxActive,
                           Duration retention, int supplyJobsPerHour, Duration supplyInterval,
                           ContentFormat supplyFormat) {

        /** Checks every bound, naming the option a value came from. */
        public Settings {
            if (maxActive < 1 || maxActive > 1024) {
                throw new IllegalArgumentException("--generation-max-active must be in [1, 1024], got " + maxActive);
            }
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("--generation-retention must be positive, got " + retention);
            }
            if (supplyJobsPerHour < 0 || supplyJobsPerHour > 10_000) {
                throw new IllegalArgumentException("--supply-jobs-per-hour must be in [0, 10000], got " + supplyJobsPerHour);
            }
            if (supplyInterval.isNegative() || supplyInterval.isZero()) {
                throw new IllegalArgumentException("--supply-interval must be positive, got " + supplyInterval);
            }
        }
    }

    private GenerationRuntime() {
    }

    /** The models each kind of stage runs on: the cover on the Java2D renderer or an ONNX image model. */
    public static StageModels models(String textModel, String imageModel) {
        return new StageModels(textModel, StandardModels.SPEECH, imageModel, StandardModels.VIDEO);
    }

    /** The runners of every stage kind. */
    public static List<StageRunner> runners() {
        return List.of(new TextStageRunner(new DeclaredInputsComposer()), new TitleStageRunner(), new SpeechStageRunner(),
                new ImageStageRunner(), new VideoStageRunner());
    }

    /**
     * Starts the jobs, resumes unfinished ones and publishes them to the app's routes; returns
     * them. Called before the server turns ready, so a ready server takes generation requests.
     */
    public static GenerationJobs start(FeedServerApp app, ModelScheduler scheduler, Supplier<FeedModel> model,
                                       ChangeJournal journal, GenerationCounters counters, Settings settings)
            throws IOException {
        ExecutorService callbacks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("generation-", 0).factory());
        PlanExecutor executor = new PlanExecutor(scheduler, runners(), callbacks, System::currentTimeMillis);
        GenerationJobs jobs = new GenerationJobs(new JobStore(settings.directory()),
                new BriefPlanner(models(settings.textModel(), settings.imageModel())), executor,
                new JournalPublisher(journal, System::currentTimeMillis), callbacks, System::currentTimeMillis,
                settings.maxActive(), 10_000, settings.retention(), counters);
        app.closeOnStop(() -> {
            jobs.close();
            // Not shutdownNow: an interrupt inside a catalogue publish would close the event log's channel.
            callbacks.shutdown();
            callbacks.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        });
        jobs.resume();
        app.generation().publish(jobs);
        if (settings.supplyJobsPerHour() > 0) {
            SupplyLoop supply = new SupplyLoop(jobs, model,
                    new SupplyPlanner(SupplyPolicy.DEFAULT.withJobsPerHour(settings.supplyJobsPerHour())),
                    settings.supplyFormat(), settings.supplyInterval(), System::currentTimeMillis);
            supply.start();
            app.closeOnStop(supply);
            app.generation().supply(supply);
        }
        return jobs;
    }

    /**
     * Registers the job metrics, whether or not generation runs (zeros without a text model, so
     * dashboards show "none" rather than "no data").
     */
    public static void registerMetrics(Metrics metrics, GenerationHolder holder, GenerationCounters c) {
        metrics.gauge("feedserver_generation_jobs_submitted_total", c::submittedTotal);
        metrics.gauge("feedserver_generation_jobs_succeeded_total", c::succeededTotal);
        metrics.gauge("feedserver_generation_jobs_failed_total", c::failedTotal);
        metrics.gauge("feedserver_generation_jobs_cancelled_total", c::cancelledTotal);
        metrics.gauge("feedserver_generation_jobs_active", () -> holder.current() == null ? 0 : holder.current().active());
        metrics.gauge("feedserver_generation_items_published_total", c::publishedTotal);
        metrics.gauge("feedserver_generation_publish_failures_total", c::publishFailuresTotal);
        metrics.gauge("feedserver_generation_job_save_failures_total",
                () -> holder.current() == null ? 0 : holder.current().saveFailures());
        metrics.gauge("feedserver_generation_model_tokens_in_total", c::modelTokensIn);
        metrics.gauge("feedserver_generation_model_tokens_out_total", c::modelTokensOut);
        metrics.gauge("feedserver_generation_cl100k_tokens_in_total", c::cl100kTokensIn);
        metrics.gauge("feedserver_generation_cl100k_tokens_out_total", c::cl100kTokensOut);
        metrics.gauge("feedserver_supply_jobs_filed_total", () -> holder.supply() == null ? 0 : holder.supply().filed());
        metrics.gauge("feedserver_supply_rounds_total", () -> holder.supply() == null ? 0 : holder.supply().rounds());
        metrics.section("generation_jobs", out -> {
            GenerationGauges.sample(out, "feedserver_generation_busy_seconds_total", "counter",
                    "Seconds finished jobs kept their models busy.", c.busySeconds());
            GenerationGauges.sample(out, "feedserver_generation_cost_usd_total", "counter",
                    "Cost of finished jobs: busy seconds times the price per device-hour.", c.costUsd());
        });
    }
}

package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.OutputFormat;
import dev.feedserver.generation.orchestration.PlanExecutor;
import dev.feedserver.generation.orchestration.PremiseOpening;
import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageModels;
import dev.feedserver.generation.orchestration.StageOutput;
import dev.feedserver.generation.orchestration.StageResult;
import dev.feedserver.generation.orchestration.StageRunner;
import dev.feedserver.generation.orchestration.TitleStageRunner;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.scheduler.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** A jobs service over trivial models and scripted text, so the service is tested without a real model. */
final class TestGeneration {

    static final StageModels MODELS = new StageModels("text", "speech", "image", "video");

    private TestGeneration() {
    }

    /** A scheduler over one trivial model per stage kind; started only when {@code run}. */
    static ModelScheduler scheduler(boolean run) {
        ModelRegistry registry = new ModelRegistry();
        for (String name : List.of("text", "speech", "image", "video")) {
            registry.register(new ModelSpec(name, ModelKind.ONNX, Backend.JAVA, ModelSource.file(Path.of(name)), 2),
                    new ModelLoader() {
                        @Override
                        public LoadedModel load(ModelSpec spec) {
                            return LoadedModel.of(() -> { }, m -> 1);
                        }

                        @Override
                        public long estimateBytes(ModelSpec spec) {
                            return 1;
                        }
                    });
        }
        ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults());
        if (run) {
            scheduler.start();
        }
        return scheduler;
    }

    static GenerationJobs jobs(Path dir, ModelScheduler scheduler, Executor callbacks, CataloguePublisher publisher,
                               int maxActive, AtomicInteger textCalls) throws Exception {
        return jobs(dir, scheduler, callbacks, publisher, maxActive, textCalls, System::currentTimeMillis);
    }

    /** The same with a clock of the test's choosing; finished jobs are kept 30 days. */
    static GenerationJobs jobs(Path dir, ModelScheduler scheduler, Executor callbacks, CataloguePublisher publisher,
                               int maxActive, AtomicInteger textCalls, java.util.function.LongSupplier clock) throws Exception {
        List<StageRunner> runners = List.of(text(textCalls), new TitleStageRunner(), png());
        PlanExecutor executor = new PlanExecutor(scheduler, runners, callbacks, clock);
        return new GenerationJobs(new JobStore(dir), new BriefPlanner(MODELS), executor, publisher, callbacks,
                clock, maxActive, 100, java.time.Duration.ofDays(30), new GenerationCounters(new GenerationPrice(3.6)));
    }

    private static StageRunner text(AtomicInteger calls) {
        return new StageRunner() {
            @Override
            public StageKind kind() {
                return StageKind.TEXT;
            }

            @Override
            public StageResult run(StageCall call, LoadedModel model, TaskContext context) {
                calls.incrementAndGet();
                String text = call.inputs().isEmpty() ? PremiseOpening.of(call.brief()) + "She played all day."
                        : call.inputText() + " They ran to the park and had fun in the sun all day long.".repeat(4);
                return new StageResult(StageOutput.text(text), new TokenCount(5, 10, 4, 8));
            }
        };
    }

    private static StageRunner png() {
        return new StageRunner() {
            @Override
            public StageKind kind() {
                return StageKind.IMAGE;
            }

            @Override
            public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
                String name = call.stage().id() + OutputFormat.PNG.extension();
                Files.write(call.workDir().resolve(name), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
                return new StageResult(StageOutput.file(name, OutputFormat.PNG.mediaType()), TokenCount.ZERO);
            }
        };
    }
}

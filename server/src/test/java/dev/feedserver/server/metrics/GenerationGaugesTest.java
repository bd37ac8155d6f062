package dev.feedserver.server.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's statistics appear in /metrics, per model and overall. */
class GenerationGaugesTest {

    @Test
    void rendersSchedulerStatisticsPerModel() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        registry.register(ModelSpec.of("tiny", ModelKind.ONNX, Backend.NATIVE, ModelSource.file(Path.of("unused"))), new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec spec) {
                return LoadedModel.of(() -> { }, m -> 1000L);
            }

            @Override
            public long estimateBytes(ModelSpec spec) {
                return 1000;
            }
        });
        Metrics metrics = new Metrics();
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults().withBudgetBytes(4096))) {
            GenerationGauges.register(metrics, scheduler);
            scheduler.start();
            scheduler.submit("tiny", 0, (m, c) -> "done").get(30, TimeUnit.SECONDS);
            String text = PrometheusText.render(metrics);
            assertTrue(text.contains("feedserver_generation_budget_bytes 4096\n"), text);
            assertTrue(text.contains("feedserver_generation_peak_resident_bytes 1000\n"), text);
            assertTrue(text.contains("feedserver_generation_model_loads_total{model=\"tiny\"} 1\n"), text);
            assertTrue(text.contains("feedserver_generation_model_resident_bytes{model=\"tiny\"} 1000\n"), text);
            assertTrue(text.contains("feedserver_generation_model_tasks_total{model=\"tiny\",outcome=\"completed\"} 1\n"), text);
            assertTrue(text.contains("# TYPE feedserver_generation_model_busy_seconds_total counter\n"), text);
        }
    }
}

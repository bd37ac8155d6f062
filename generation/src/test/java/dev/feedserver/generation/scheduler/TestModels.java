package dev.feedserver.generation.scheduler;

import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registers {@link OffHeapModel}s and records the order tasks ran in. */
final class TestModels {

    static final long MIB = 1L << 20;

    private TestModels() {
    }

    /** A loader of {@link OffHeapModel}s of {@code bytes}, estimated at exactly that. */
    record Loader(long bytes, long reportedBytes) implements ModelLoader {
        @Override
        public LoadedModel load(ModelSpec spec) {
            OffHeapModel model = new OffHeapModel(bytes);
            return LoadedModel.of(model, m -> reportedBytes);
        }

        @Override
        public long estimateBytes(ModelSpec spec) {
            return bytes;
        }
    }

    static void register(ModelRegistry registry, String name, long bytes) {
        register(registry, name, bytes, 1);
    }

    static void register(ModelRegistry registry, String name, long bytes, int maxConcurrency) {
        registry.register(spec(name, maxConcurrency), new Loader(bytes, bytes));
    }

    static ModelSpec spec(String name, int maxConcurrency) {
        return new ModelSpec(name, ModelKind.ONNX, Backend.NATIVE, ModelSource.file(Path.of("test-models", name)), maxConcurrency);
    }

    /** A task that records {@code label} into {@code order} and touches its model. */
    static StageTask<String> recording(List<String> order, String label) {
        return (model, context) -> {
            model.as(OffHeapModel.class).touch();
            order.add(label);
            return label;
        };
    }

    static List<String> newOrder() {
        return new CopyOnWriteArrayList<>();
    }
}

package dev.feedserver.generation.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration, estimates before the first load, and the measured figure after it. */
class ModelRegistryTest {

    @TempDir
    Path dir;

    /** A model that holds a heap array and cannot report its size, like a Java model. */
    static final class HeapModel implements AutoCloseable {
        byte[] weights;

        HeapModel(int bytes) {
            weights = new byte[bytes];
            java.util.Arrays.fill(weights, (byte) 1);
        }

        @Override
        public void close() {
            weights = null;
        }
    }

    @Test
    void estimatesFromTheFileThenPlansWithTheMeasuredFigure() throws Exception {
        Path file = dir.resolve("weights.bin");
        Files.write(file, new byte[1 << 20]);
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel model = registry.register(ModelSpec.of("heap", ModelKind.SPEECH, Backend.JAVA, ModelSource.file(file)),
                spec -> LoadedModel.of(new HeapModel(64 << 20), m -> LoadedModel.UNKNOWN));
        long estimate = 3L * (1 << 20) + (8L << 20);
        assertEquals(estimate, model.estimateBytes(), "Java: 3x the file + 8 MiB");
        assertEquals(-1, model.measuredBytes());
        assertEquals(estimate, model.footprintBytes());
        LoadResult loaded = model.load();
        try (LoadedModel instance = loaded.model()) {
            assertTrue(!loaded.reported(), "a Java model is measured from the outside");
            assertTrue(loaded.measuredBytes() >= 60L << 20, "the 64 MiB array shows in the heap delta: " + loaded.measuredBytes());
            assertEquals(loaded.measuredBytes(), model.measuredBytes());
            assertEquals(Math.max(estimate, loaded.measuredBytes()), model.footprintBytes());
            assertTrue(instance.as(HeapModel.class).weights.length == 64 << 20);
            assertThrows(ClassCastException.class, () -> instance.as(String.class));
        }
    }

    @Test
    void aBuiltInModelHasNoWeightsAndIsPlannedAtTheBackendsFixedPart() {
        ModelSource source = ModelSource.builtIn("Java2D cover renderer");
        assertEquals(0, source.sizeBytes());
        assertEquals("built-in:Java2D cover renderer", source.describe());
        assertThrows(IllegalArgumentException.class, () -> ModelSource.builtIn(" "));
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel model = registry.register(ModelSpec.of("drawn", ModelKind.IMAGE, Backend.JAVA, source),
                spec -> LoadedModel.of(() -> { }, m -> LoadedModel.UNKNOWN));
        assertEquals(8L << 20, model.estimateBytes(), "Java: 3 x 0 + 8 MiB");
        String kind = switch (source) {
            case ModelSource.File f -> "file";
            case ModelSource.Resources r -> "resources";
            case ModelSource.BuiltIn b -> "built-in";
        };
        assertEquals("built-in", kind, "the sealed hierarchy names every variant");
    }

    @Test
    void aSelfReportingModelIsTakenAtItsWord() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        RegisteredModel model = registry.register(ModelSpec.of("native", ModelKind.TEXT, Backend.NATIVE, ModelSource.file(dir.resolve("x"))),
                new ModelLoader() {
                    @Override
                    public LoadedModel load(ModelSpec spec) {
                        return LoadedModel.of(() -> { }, m -> 12_345L);
                    }

                    @Override
                    public long estimateBytes(ModelSpec spec) {
                        return 10_000;
                    }
                });
        LoadResult loaded = model.load();
        assertTrue(loaded.reported());
        assertEquals(12_345, loaded.measuredBytes());
        assertEquals(12_345, model.footprintBytes(), "larger than the estimate: planned with from now on");
    }

    @Test
    void namesAreUniqueAndValidated() {
        ModelRegistry registry = new ModelRegistry();
        ModelLoader loader = new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec spec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long estimateBytes(ModelSpec spec) {
                return 1;
            }
        };
        registry.register(ModelSpec.of("a", ModelKind.IMAGE, Backend.ONNX_RUNTIME, ModelSource.file(dir.resolve("a"))), loader);
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class, () -> registry.register(
                ModelSpec.of("a", ModelKind.VIDEO, Backend.ONNX_RUNTIME, ModelSource.file(dir.resolve("b"))), loader));
        assertTrue(duplicate.getMessage().contains("already registered"));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("bad name!", ModelKind.TEXT, Backend.NATIVE, ModelSource.file(dir)));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> registry.get("nope"));
        assertTrue(unknown.getMessage().contains("known: [a]"), unknown.getMessage());
        assertEquals(List.of("a"), registry.names());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> ModelSource.resources("no/such/model.onnx").sizeBytes());
        assertTrue(missing.getMessage().contains("no/such/model.onnx"));
    }
}

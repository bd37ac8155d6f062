package dev.feedserver.generation.orchestration;

import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import dev.feedserver.generation.scheduler.TaskContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Models and runners that stand in for the real ones, so the executor's logic is tested alone. */
final class FakeStages {

    static final StageModels MODELS = new StageModels("fake-text", "fake-speech", "fake-image", "fake-video");
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    static final byte[] WAV = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
    static final byte[] MP4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};

    private FakeStages() {
    }

    /** Registers a trivial model per kind, each allowed {@code concurrency} tasks at once. */
    static ModelRegistry registry(int concurrency) {
        ModelRegistry registry = new ModelRegistry();
        for (String name : List.of(MODELS.text(), MODELS.speech(), MODELS.image(), MODELS.video())) {
            ModelSpec spec = new ModelSpec(name, ModelKind.ONNX, Backend.JAVA, ModelSource.file(Path.of("fake", name)),
                    concurrency);
            registry.register(spec, new ModelLoader() {
                @Override
                public LoadedModel load(ModelSpec s) {
                    return LoadedModel.of(() -> { }, m -> 1024);
                }

                @Override
                public long estimateBytes(ModelSpec s) {
                    return 1024;
                }
            });
        }
        return registry;
    }

    /** What every call looked like: stage id to the calls, in order. */
    static final class Calls {
        final Map<String, List<StageCall>> byStage = new ConcurrentHashMap<>();

        void record(StageCall call) {
            byStage.computeIfAbsent(call.stage().id(), k -> new CopyOnWriteArrayList<>()).add(call);
        }

        List<StageCall> of(String stage) {
            return byStage.getOrDefault(stage, List.of());
        }
    }

    /** A text runner answering each stage through {@code script}. */
    interface TextScript {
        String answer(StageCall call, TaskContext context) throws Exception;
    }

    static StageRunner text(Calls calls, TextScript script) {
        return new StageRunner() {
            @Override
            public StageKind kind() {
                return StageKind.TEXT;
            }

            @Override
            public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
                calls.record(call);
                String text = script.answer(call, context);
                return new StageResult(StageOutput.text(text), new TokenCount(10, 20, 8, 16));
            }
        };
    }

    static StageRunner media(Calls calls, StageKind kind, OutputFormat format, byte[] bytes) {
        return new StageRunner() {
            @Override
            public StageKind kind() {
                return kind;
            }

            @Override
            public StageResult run(StageCall call, LoadedModel model, TaskContext context) throws Exception {
                calls.record(call);
                String name = call.stage().id() + format.extension();
                MediaFiles.writeAtomically(call.workDir().resolve(name), bytes);
                return new StageResult(StageOutput.file(name, format.mediaType()), TokenCount.ZERO);
            }
        };
    }

    /** A title runner that records its calls and delegates to the real one. */
    static StageRunner title(Calls calls) {
        TitleStageRunner real = new TitleStageRunner();
        return new StageRunner() {
            @Override
            public StageKind kind() {
                return StageKind.TITLE;
            }

            @Override
            public StageResult run(StageCall call, LoadedModel model, TaskContext context) {
                calls.record(call);
                return real.run(call, model, context);
            }
        };
    }

    /** A premise and story that pass a default brief's constraints. */
    static String goodText(StageCall call) {
        if (call.stage().id().equals("premise")) {
            return PremiseOpening.of(call.brief()) + " and played with it every day.";
        }
        String sentence = " Lily ran to the park with her friend and they had fun in the sun.";
        return call.inputText() + sentence.repeat(4);
    }
}

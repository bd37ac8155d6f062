package dev.feedserver.generation.orchestration;

/**
 * The prompt of a text stage in two parts: context the model reads but which is not part of the
 * output, and the opening the output starts with (the model continues it).
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param context     read, not part of the output ("" when the stage reads only its inputs)
 * @param opening     the start of the output
 * @param oneSentence generation stops at the first full stop it writes (a short text that
 *                    completes one sentence)
 */
public record Prompt(String context, String opening, boolean oneSentence) {

    /** What the model reads: the context, then the opening. */
    public String full() {
        return context + opening;
    }
}

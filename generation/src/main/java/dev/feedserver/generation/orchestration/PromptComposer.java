package dev.feedserver.generation.orchestration;

/**
 * Builds a text stage's {@link Prompt}. The two-step executor uses {@link DeclaredInputsComposer}
 * (only the stage's declared inputs); the benchmark's agent-graph baseline supplies one that
 * renders the whole accumulated message history, so the two differ in nothing else.
 *
 * <p>Threading: implementations are thread-safe.
 */
@FunctionalInterface
public interface PromptComposer {

    /** The prompt for this attempt. */
    Prompt compose(StageCall call);
}

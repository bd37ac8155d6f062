package dev.feedserver.generation.orchestration;

/**
 * The two-step executor's prompts: a stage reads only what it declares. A stage without inputs
 * (the premise) starts from {@link PremiseOpening} and completes that sentence; a stage with
 * inputs continues their text (the story continues the premise).
 *
 * <p>Threading and lifecycle: stateless and thread-safe.
 */
public final class DeclaredInputsComposer implements PromptComposer {

    @Override
    public Prompt compose(StageCall call) {
        if (call.inputs().isEmpty()) {
            return new Prompt("", PremiseOpening.of(call.brief()), true);
        }
        return new Prompt("", call.inputText() + " ", false);
    }
}

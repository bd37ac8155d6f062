package dev.feedserver.generation.orchestration;

/**
 * Which registered model each kind of stage is bound to. Swapping a name binds a stage to a
 * different model from the registry (an ONNX image model in place of the Java2D cover, say)
 * without touching the planner.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param text   the Llama text model
 * @param speech the speech model
 * @param image  the cover image model
 * @param video  the video composer
 */
public record StageModels(String text, String speech, String image, String video) {

    /** Every name is required. */
    public StageModels {
        if (text == null || speech == null || image == null || video == null) {
            throw new IllegalArgumentException("every stage kind needs a model name");
        }
    }
}

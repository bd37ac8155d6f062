package dev.feedserver.generation.scheduler;

/**
 * A task failed because its model could not be made resident: the loader threw, the model does
 * not fit the budget, or the scheduler closed. The message names the model and the reason.
 */
public final class ModelLoadException extends RuntimeException {

    private final String model;

    public ModelLoadException(String model, String message, Throwable cause) {
        super(message, cause);
        this.model = model;
    }

    /** The model that could not be loaded. */
    public String model() {
        return model;
    }
}

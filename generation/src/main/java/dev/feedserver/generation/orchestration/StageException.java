package dev.feedserver.generation.orchestration;

/**
 * A stage failure that retrying cannot fix (a missing tool, a spent token budget): the executor
 * fails the stage at once with this message instead of using up its attempts.
 *
 * <p>Threading and lifecycle: an ordinary exception.
 */
public final class StageException extends Exception {

    public StageException(String message) {
        super(message);
    }

    public StageException(String message, Throwable cause) {
        super(message, cause);
    }
}

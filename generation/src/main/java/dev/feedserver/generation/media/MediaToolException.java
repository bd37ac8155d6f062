package dev.feedserver.generation.media;

/**
 * An external media tool (ffmpeg) failed: it exited with an error, ran past its timeout, or
 * could not be started. The message names the tool and ends with the tail of what it wrote
 * to stderr, when it wrote anything. Unchecked, like the other stage failures.
 */
public class MediaToolException extends RuntimeException {

    private final String tool;

    public MediaToolException(String tool, String message, Throwable cause) {
        super(message, cause);
        this.tool = tool;
    }

    /** The tool's name, e.g. {@code ffmpeg}. */
    public String tool() {
        return tool;
    }
}

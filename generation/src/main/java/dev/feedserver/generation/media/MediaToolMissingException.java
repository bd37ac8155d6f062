package dev.feedserver.generation.media;

/**
 * The media tool a stage needs is not installed (or not where it was configured to be). The
 * message says where it was looked for and how to install it.
 */
public final class MediaToolMissingException extends MediaToolException {

    public MediaToolMissingException(String tool, String message) {
        super(tool, message, null);
    }
}

package dev.feedserver.generation.orchestration;

/**
 * The shape a stage's output must have, checked by {@link ConstraintChecker}: one sentence,
 * prose of whole sentences, a title (2 to 8 capitalised words, no final stop), or a media file
 * whose leading bytes are those of a WAV, PNG or MP4.
 */
public enum OutputFormat {
    SENTENCE("text/plain"),
    PROSE("text/plain"),
    TITLE("text/plain"),
    WAV("audio/wav"),
    PNG("image/png"),
    MP4("video/mp4");

    private final String mediaType;

    OutputFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The MIME type the output is served with. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether the output is text kept in the job record rather than a file. */
    public boolean isText() {
        return this == SENTENCE || this == PROSE || this == TITLE;
    }

    /** The file extension of a media output, with the dot ("" for text). */
    public String extension() {
        return isText() ? "" : "." + name().toLowerCase(java.util.Locale.ROOT);
    }
}

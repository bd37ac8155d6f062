package dev.feedserver.generation.orchestration;

/**
 * What a finished stage produced: text kept in the job record, or a file in the job's directory.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param text      the text of a text output, else null
 * @param file      the file name (no directory) of a media output inside the job's directory, else null
 * @param mediaType the MIME type
 */
public record StageOutput(String text, String file, String mediaType) {

    /** Exactly one of text and file. */
    public StageOutput {
        if ((text == null) == (file == null)) {
            throw new IllegalArgumentException("a stage output is either text or a file");
        }
        if (file != null && (file.contains("/") || file.contains("\\") || file.startsWith("."))) {
            throw new IllegalArgumentException("an output file is a plain name inside the job directory (got " + file + ")");
        }
    }

    /** A text output. */
    public static StageOutput text(String text) {
        return new StageOutput(text, null, "text/plain");
    }

    /** A media file output. */
    public static StageOutput file(String name, String mediaType) {
        return new StageOutput(null, name, mediaType);
    }

    /** Whether this is a text output. */
    public boolean isText() {
        return text != null;
    }
}

package dev.feedserver.generation.text;

/**
 * Receives generated text as it is produced, on the generating thread. Pieces are whole UTF-8
 * characters and never contain (part of) a stop string. Must not block for long: the generation
 * waits for it.
 */
@FunctionalInterface
public interface GenerationListener {

    /** A listener that ignores everything. */
    GenerationListener NONE = piece -> { };

    /** Called with each new non-empty piece of text, in order. */
    void onText(String piece);
}

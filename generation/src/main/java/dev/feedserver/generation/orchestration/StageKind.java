package dev.feedserver.generation.orchestration;

/**
 * What a stage produces, which picks its {@link StageRunner}: text from the text model, a title
 * composed by rules from the premise (no model), speech, an image, a video.
 */
public enum StageKind {
    TEXT,
    TITLE,
    SPEECH,
    IMAGE,
    VIDEO
}

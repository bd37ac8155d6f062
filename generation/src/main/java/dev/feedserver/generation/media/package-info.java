/**
 * The media stages of a generation job, registered as models in
 * {@link dev.feedserver.generation.registry.ModelRegistry} by
 * {@link dev.feedserver.generation.models.StandardModels}: {@link dev.feedserver.generation.media.CoverRenderer}
 * (a Java2D cover PNG from a title, topic and tags), {@link dev.feedserver.generation.media.VideoComposer}
 * (a still-image MP4 with the narration, through ffmpeg) and
 * {@link dev.feedserver.generation.media.OnnxImageRenderer} (an ONNX image model behind the same
 * {@link dev.feedserver.generation.media.ImageRenderer} interface).
 */
package dev.feedserver.generation.media;

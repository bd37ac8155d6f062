/**
 * Text generation with Llama-architecture decoders from llama2.c checkpoints: {@link
 * dev.feedserver.generation.text.LlamaModel} (native float or int8 through
 * {@code dev.feedserver.nativelib.NativeLlama}, or the Java {@link
 * dev.feedserver.generation.text.ReferenceLlama}), the byte-pair {@link
 * dev.feedserver.generation.text.BpeTokenizer}, and {@link
 * dev.feedserver.generation.text.TextGenerator} (sampling, streaming, stop conditions,
 * cancellation). See docs/generation.md.
 */
package dev.feedserver.generation.text;

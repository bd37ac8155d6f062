package dev.feedserver.generation.registry;

/**
 * A model just loaded, with what the load cost.
 *
 * @param model         the loaded instance; the caller owns it and must close it
 * @param measuredBytes bytes it holds: reported by the model, or measured around the load
 * @param reported      whether the model reported the figure itself ({@code false}: measured
 *                      from the process, approximate; see {@link FootprintMeter})
 * @param loadNanos     how long the load took
 */
public record LoadResult(LoadedModel model, long measuredBytes, boolean reported, long loadNanos) {
}

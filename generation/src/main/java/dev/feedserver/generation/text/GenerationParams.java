package dev.feedserver.generation.text;

import java.util.List;

/**
 * Settings of one generation.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param maxNewTokens the token budget: at most this many tokens are generated, {@code >= 1}
 * @param temperature  0 for greedy decoding (argmax), else the softmax temperature, {@code > 0}
 * @param topP         nucleus sampling: sample among the most likely tokens whose probabilities
 *                     sum to at least topP; {@code 0 < topP <= 1} (1 = the whole vocabulary)
 * @param seed         seed of the sampler's random generator (same seed, same output)
 * @param stopStrings  generation stops before the first occurrence of any of these (never streamed)
 * @param stopAtEos    stop when the model emits EOS (or BOS, which llama2.c treats as a boundary)
 * @param minNewTokens EOS and BOS are masked out until this many tokens were generated (0 = never
 *                     masked), so a retry after a too-short output cannot end early again
 * @param suppressedTokens token ids never sampled (masked before every step), for example the
 *                     single-token spelling of a banned word
 */
public record GenerationParams(int maxNewTokens, float temperature, float topP, long seed, List<String> stopStrings,
                               boolean stopAtEos, int minNewTokens, List<Integer> suppressedTokens) {

    /** Without a minimum length or suppressed tokens. */
    public GenerationParams(int maxNewTokens, float temperature, float topP, long seed, List<String> stopStrings,
                            boolean stopAtEos) {
        this(maxNewTokens, temperature, topP, seed, stopStrings, stopAtEos, 0, List.of());
    }

    /** Validates and copies the stop strings. */
    public GenerationParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1 (got " + maxNewTokens + ")");
        }
        if (!(temperature >= 0.0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0 (got " + temperature + ")");
        }
        if (!(topP > 0.0f && topP <= 1.0f)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (got " + topP + ")");
        }
        stopStrings = List.copyOf(stopStrings);
        suppressedTokens = List.copyOf(suppressedTokens);
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException("minNewTokens must be in [0, maxNewTokens] (got " + minNewTokens + ")");
        }
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at EOS. */
    public static GenerationParams greedy(int maxNewTokens) {
        return new GenerationParams(maxNewTokens, 0.0f, 1.0f, 0L, List.of(), true);
    }

    /** Sampling at {@code temperature} with nucleus {@code topP} and {@code seed}, stopping at EOS. */
    public static GenerationParams sampled(int maxNewTokens, float temperature, float topP, long seed) {
        return new GenerationParams(maxNewTokens, temperature, topP, seed, List.of(), true);
    }

    /** A copy with these stop strings. */
    public GenerationParams withStopStrings(List<String> stops) {
        return new GenerationParams(maxNewTokens, temperature, topP, seed, stops, stopAtEos, minNewTokens,
                suppressedTokens);
    }

    /** A copy that masks EOS until {@code tokens} were generated and never samples {@code suppressed}. */
    public GenerationParams withMasks(int tokens, List<Integer> suppressed) {
        return new GenerationParams(maxNewTokens, temperature, topP, seed, stopStrings, stopAtEos, tokens, suppressed);
    }
}

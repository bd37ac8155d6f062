package dev.feedserver.generation.orchestration;

import java.util.List;

/**
 * What a stage's output must satisfy. Word bounds and keyword lists apply to text outputs; the
 * token budget caps the tokens one attempt may generate; the format applies to every output.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param minWords         fewest words (0 = no bound)
 * @param maxWords         most words (0 = no bound)
 * @param bannedWords      lower-case words that must not appear as whole words
 * @param requiredKeywords lower-case words that must appear as whole words
 * @param maxTokens        most tokens one attempt may generate (0 for stages without a text model)
 * @param format           the output's shape
 */
public record StageConstraints(int minWords, int maxWords, List<String> bannedWords, List<String> requiredKeywords,
                               int maxTokens, OutputFormat format) {

    /** Validates bounds and copies the lists. */
    public StageConstraints {
        if (minWords < 0 || maxWords < 0 || (maxWords > 0 && maxWords < minWords) || maxTokens < 0) {
            throw new IllegalArgumentException("bad bounds: words " + minWords + ".." + maxWords + ", tokens " + maxTokens);
        }
        bannedWords = List.copyOf(bannedWords);
        requiredKeywords = List.copyOf(requiredKeywords);
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
    }

    /** Constraints of a media output: only its format. */
    public static StageConstraints media(OutputFormat format) {
        return new StageConstraints(0, 0, List.of(), List.of(), 0, format);
    }
}

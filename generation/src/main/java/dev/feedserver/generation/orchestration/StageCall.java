package dev.feedserver.generation.orchestration;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one attempt of one stage may use: the brief, the stage, the outputs of the stages it
 * declares as inputs (and no others), what was wrong with the previous attempt, how many tokens
 * the job may still generate, and the directory its files go to.
 *
 * <p>Threading and lifecycle: an immutable value made by the executor for one attempt.
 *
 * @param brief              the job's brief
 * @param stage              the stage to run
 * @param inputs             outputs of {@code stage.inputs()}, by stage id, in declaration order
 * @param attempt            1 for the first attempt
 * @param previousViolations violations of the earlier attempts' outputs, one per rule and word
 *                           (empty on the first attempt; see {@link Violation#accumulate})
 * @param tokenAllowance     tokens the text model may still generate for this job
 * @param workDir            the job's directory, where media outputs are written and read
 * @param seed               the job's seed; runners derive per-stage, per-attempt seeds from it
 */
public record StageCall(Brief brief, StageSpec stage, Map<String, StageOutput> inputs, int attempt,
                        List<Violation> previousViolations, long tokenAllowance, Path workDir, long seed) {

    /** Copies the collections. */
    public StageCall {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        previousViolations = List.copyOf(previousViolations);
    }

    /** The text inputs joined by a space, in declaration order. */
    public String inputText() {
        StringBuilder text = new StringBuilder();
        for (StageOutput output : inputs.values()) {
            if (output.isText()) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(output.text().strip());
            }
        }
        return text.toString();
    }

    /** The file of the first input with this media type, resolved in the job directory. */
    public Path inputFile(String mediaType) {
        for (Map.Entry<String, StageOutput> input : inputs.entrySet()) {
            if (!input.getValue().isText() && input.getValue().mediaType().equals(mediaType)) {
                return workDir.resolve(input.getValue().file());
            }
        }
        throw new IllegalStateException("stage " + stage.id() + " declares no input of type " + mediaType);
    }

    /** A seed for this stage and attempt. */
    public long attemptSeed() {
        return seed * 0x9E3779B97F4A7C15L + stage.id().hashCode() * 31L + attempt;
    }

    /** Whether the previous attempt broke {@code rule}. */
    public boolean violated(String rule) {
        for (Violation violation : previousViolations) {
            if (violation.rule().equals(rule)) {
                return true;
            }
        }
        return false;
    }
}

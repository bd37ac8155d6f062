package dev.feedserver.generation.orchestration;

import java.util.List;

/**
 * One finished attempt of a stage: how long it kept its model busy, the tokens it used, and why
 * it was not accepted (violations of the constraints, or an error), if it was not.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param attempt    1 for the first attempt
 * @param busyNanos  time the attempt ran on its scheduler worker (the model's busy time)
 * @param tokens     tokens read and generated
 * @param violations constraint violations of its output (empty when accepted or when it failed with an error)
 * @param error      the failure's message, or null
 */
public record AttemptRecord(int attempt, long busyNanos, TokenCount tokens, List<Violation> violations, String error) {

    /** Copies the violations. */
    public AttemptRecord {
        violations = List.copyOf(violations);
    }

    /** Why {@code stage} failed when this was its last attempt: the error, or every violation. */
    public String failureText(StageSpec stage) {
        if (error != null) {
            return "stage " + stage.id() + " failed on attempt " + attempt + " of " + stage.maxAttempts() + ": " + error;
        }
        return "stage " + stage.id() + " broke its constraints on all " + attempt + " attempts; last: "
                + String.join("; ", violations.stream().map(Violation::toString).toList());
    }

    /** Whether the attempt's output was accepted. */
    public boolean accepted() {
        return error == null && violations.isEmpty();
    }
}

package dev.feedserver.generation.orchestration;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One stage of a {@link ContentPlan}: what it makes, on which registered model, from which
 * earlier stages' outputs (and nothing else), under which constraints, with how many attempts.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param id          unique in its plan: lower-case letters, digits and hyphens; also the name
 *                    its output file is served under
 * @param kind        what it produces, which picks the runner
 * @param model       the registry name of the model it runs on; null for a stage that runs by
 *                    rules without a model (the title)
 * @param inputs      ids of the earlier stages whose outputs it receives, in order
 * @param constraints what its output must satisfy
 * @param temperature sampling temperature for text stages (0 = greedy), ignored by others
 * @param maxAttempts attempts before the stage fails, {@code 1..5}; a failed attempt's
 *                    violations are given to the next one
 */
public record StageSpec(String id, StageKind kind, String model, List<String> inputs, StageConstraints constraints,
                        float temperature, int maxAttempts) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** Validates the id, attempts and temperature; copies the inputs. */
    public StageSpec {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("stage id must be 1 to 32 lower-case letters, digits or hyphens (got '"
                    + id + "')");
        }
        if (kind == null || constraints == null) {
            throw new IllegalArgumentException("stage " + id + ": kind and constraints are required");
        }
        if (model == null && kind != StageKind.TITLE) {
            throw new IllegalArgumentException("stage " + id + ": a " + kind + " stage needs a model");
        }
        inputs = List.copyOf(inputs);
        if (maxAttempts < 1 || maxAttempts > 5) {
            throw new IllegalArgumentException("stage " + id + ": maxAttempts must be in [1, 5] (got " + maxAttempts + ")");
        }
        if (!(temperature >= 0.0f && temperature <= 2.0f)) {
            throw new IllegalArgumentException("stage " + id + ": temperature must be in [0, 2] (got " + temperature + ")");
        }
    }
}

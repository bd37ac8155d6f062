package dev.feedserver.generation.orchestration;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The typed plan for one brief: a small graph of stages listed in an order where every stage
 * comes after the stages it takes inputs from (so the list is a topological order and the graph
 * has no cycle by construction).
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param stages the stages, each after its inputs
 */
public record ContentPlan(List<StageSpec> stages) {

    /** Checks ids are unique and every input names an earlier stage. */
    public ContentPlan {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
        Set<String> seen = new HashSet<>();
        for (StageSpec stage : stages) {
            for (String input : stage.inputs()) {
                if (!seen.contains(input)) {
                    throw new IllegalArgumentException("stage " + stage.id() + " takes input '" + input
                            + "', which is not an earlier stage");
                }
            }
            if (!seen.add(stage.id())) {
                throw new IllegalArgumentException("stage id '" + stage.id() + "' appears twice");
            }
        }
    }

    /** The stage with this id. */
    public StageSpec stage(String id) {
        for (StageSpec stage : stages) {
            if (stage.id().equals(id)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("no stage '" + id + "' in this plan");
    }

    /** Position of the stage with this id in {@link #stages()}. */
    public int indexOf(String id) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no stage '" + id + "' in this plan");
    }
}

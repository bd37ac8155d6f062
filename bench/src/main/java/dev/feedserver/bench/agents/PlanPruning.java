package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Leaves out of a plan the stages of kinds this build has no runner for, and the stages that
 * take their outputs, so both systems run the same reduced plan (the benchmark records which
 * stages were left out). With a runner for every kind the plan is unchanged.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class PlanPruning {

    private PlanPruning() {
    }

    /** The plan without stages of kinds outside {@code available} and their dependents. */
    public static ContentPlan keepRunnable(ContentPlan plan, Set<StageKind> available) {
        Set<String> removed = new HashSet<>();
        List<StageSpec> kept = new ArrayList<>();
        for (StageSpec stage : plan.stages()) {
            boolean blocked = !available.contains(stage.kind()) || stage.inputs().stream().anyMatch(removed::contains);
            if (blocked) {
                removed.add(stage.id());
            } else {
                kept.add(stage);
            }
        }
        return new ContentPlan(kept);
    }

    /** Ids of the stages of {@code plan} that {@link #keepRunnable} would leave out. */
    public static List<String> leftOut(ContentPlan plan, Set<StageKind> available) {
        ContentPlan kept = keepRunnable(plan, available);
        return plan.stages().stream().map(StageSpec::id)
                .filter(id -> kept.stages().stream().noneMatch(s -> s.id().equals(id))).toList();
    }
}

package dev.feedserver.generation.orchestration;

import java.util.List;

/**
 * A generation job as it stands: what the job record shows, and what is persisted so a restart
 * can resume it (stages that succeeded keep their outputs; the rest run again).
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param id             the job id
 * @param brief          the brief
 * @param plan           the plan the planner made for it
 * @param priority       the scheduler priority of its stages (higher first)
 * @param seed           the sampling seed its stages derive theirs from
 * @param state          where it stands
 * @param stages         every stage, in plan order
 * @param error          why it failed or was cancelled, or null
 * @param createdMillis  when it was accepted (epoch ms)
 * @param finishedMillis when it reached a final state (epoch ms), or 0
 */
public record JobSnapshot(String id, Brief brief, ContentPlan plan, int priority, long seed, JobState state,
                          List<StageProgress> stages, String error, long createdMillis, long finishedMillis) {

    /** Copies the stages and checks they match the plan. */
    public JobSnapshot {
        stages = List.copyOf(stages);
        if (stages.size() != plan.stages().size()) {
            throw new IllegalArgumentException("job " + id + " has " + stages.size() + " stage records for "
                    + plan.stages().size() + " planned stages");
        }
    }

    /** A new job: queued, every stage pending. */
    public static JobSnapshot queued(String id, Brief brief, ContentPlan plan, int priority, long seed, long nowMillis) {
        List<StageProgress> stages = plan.stages().stream().map(s -> StageProgress.pending(s.id())).toList();
        return new JobSnapshot(id, brief, plan, priority, seed, JobState.QUEUED, stages, null, nowMillis, 0);
    }

    /** The stage record with this id. */
    public StageProgress stage(String stageId) {
        return stages.get(plan.indexOf(stageId));
    }

    /** Tokens over all stages and attempts. */
    public TokenCount tokens() {
        TokenCount sum = TokenCount.ZERO;
        for (StageProgress stage : stages) {
            sum = sum.plus(stage.tokens());
        }
        return sum;
    }

    /** Busy time over all stages and attempts. */
    public long busyNanos() {
        long sum = 0;
        for (StageProgress stage : stages) {
            sum += stage.busyNanos();
        }
        return sum;
    }

    /**
     * This job prepared to run again after a restart: stages that were running (or skipped or
     * cancelled) are pending again, with their finished attempts kept; stages that succeeded or
     * failed for good stay as they are, so no stage gets more attempts than its limit. The job is
     * queued.
     */
    public JobSnapshot forResume() {
        List<StageProgress> reset = stages.stream()
                .map(s -> s.state() == StageState.SUCCEEDED || s.state() == StageState.FAILED ? s
                        : s.with(StageState.PENDING, null)).toList();
        return new JobSnapshot(id, brief, plan, priority, seed, JobState.QUEUED, reset, null, createdMillis, 0);
    }
}

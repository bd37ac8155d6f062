package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageProgress;
import java.util.List;

/**
 * One brief run through one system: the final job record, the wall time from start to end, and
 * for the agent graph how much history its text nodes had to trim.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param system          {@link ComparisonRunner#TWO_STEP} or {@link ComparisonRunner#AGENT_GRAPH}
 * @param brief           the brief's index in the mix
 * @param job             the final job record
 * @param wallNanos       wall time of the whole job
 * @param droppedMessages history messages trimmed over the text calls (0 for the two-step system)
 * @param textCalls       text model calls (the agent graph's count; 0 for the two-step system)
 * @param messages        the agent graph's final message history (empty for the two-step system)
 */
public record SystemRun(String system, int brief, JobSnapshot job, long wallNanos, int droppedMessages, int textCalls,
                        List<Message> messages) {

    /** Copies the messages. */
    public SystemRun {
        messages = List.copyOf(messages);
    }

    public boolean succeeded() {
        return job.state() == JobState.SUCCEEDED;
    }

    /** Busy time of the stages of {@code kind}, over all attempts. */
    public long busyNanos(StageKind kind) {
        long sum = 0;
        for (StageProgress stage : job.stages()) {
            if (job.plan().stage(stage.id()).kind() == kind) {
                sum += stage.busyNanos();
            }
        }
        return sum;
    }
}

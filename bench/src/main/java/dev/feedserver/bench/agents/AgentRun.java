package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.JobSnapshot;
import java.util.List;

/**
 * What one run of the agent graph left: the job in the executor's own record type (so tokens,
 * busy time and attempts are read the same way for both systems), the final message history,
 * and how many history messages text nodes had to drop to fit the model's context.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param job             the final job record
 * @param messages        the graph state's messages at the end
 * @param droppedMessages messages trimmed away, summed over the text node calls
 * @param textCalls       text node calls made
 */
public record AgentRun(JobSnapshot job, List<Message> messages, int droppedMessages, int textCalls) {

    /** Copies the messages. */
    public AgentRun {
        messages = List.copyOf(messages);
    }
}

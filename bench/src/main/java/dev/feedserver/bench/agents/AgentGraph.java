package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.AttemptRecord;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.generation.orchestration.StageCall;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageOutput;
import dev.feedserver.generation.orchestration.StageProgress;
import dev.feedserver.generation.orchestration.StageRunner;
import dev.feedserver.generation.orchestration.StageSpec;
import dev.feedserver.generation.orchestration.StageState;
import dev.feedserver.generation.orchestration.Violation;
import dev.feedserver.generation.scheduler.ModelScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The baseline: a LangGraph-style agent graph over the same plan, models, runners and checks as
 * the two-step executor. Its state is a message history ({@code messages}) and the outputs so
 * far. It starts with the system message (instructions and brief) and the plan as the
 * planner's message, then runs one node per plan stage, one node per super-step in plan order
 * (a LangGraph {@code StateGraph} with plain edges runs one node at a time; parallel branches
 * must be declared, and a plan-and-execute agent executes its steps one by one). Every node's
 * output, accepted or not, joins the history; a failed check appends the violations and the
 * node runs again, up to the stage's attempt limit (a validation and retry loop). A node that
 * fails for good ends the graph: the later nodes are not run.
 *
 * <p>Text nodes receive the whole history as their prompt context ({@link HistoryComposer});
 * tool nodes (title, speech, image, video) run the executor's own {@link StageRunner}s on the
 * outputs they need, picked from the state, and read no history. Every node with a model is
 * submitted to the {@link ModelScheduler} as a task on its model, so busy time is measured as
 * for the executor; the rule-based title runs on the graph's thread.
 *
 * <p>Threading: {@link #run} blocks its caller until the graph ends; several runs may go on at
 * once on different threads. Lifecycle: holds no resources; the scheduler belongs to the caller.
 */
public final class AgentGraph {

    private final ModelScheduler scheduler;
    private final TextNode textNode;
    private final Map<StageKind, StageRunner> tools = new EnumMap<>(StageKind.class);

    /**
     * @param textNode the text node (the model call that reads the history)
     * @param tools    runners for the other stage kinds (the executor's own)
     */
    public AgentGraph(ModelScheduler scheduler, TextNode textNode, List<StageRunner> tools) {
        this.scheduler = scheduler;
        this.textNode = textNode;
        for (StageRunner runner : tools) {
            if (runner.kind() == StageKind.TEXT) {
                throw new IllegalArgumentException("text stages run through the text node, not a runner");
            }
            if (this.tools.put(runner.kind(), runner) != null) {
                throw new IllegalArgumentException("two runners for stage kind " + runner.kind());
            }
        }
    }

    /**
     * Runs {@code plan} for {@code brief}; media outputs go to {@code workDir}, which must exist.
     *
     * @param seed the job seed, the same one the executor is given, so each attempt samples with the same seed
     * @throws IllegalArgumentException if the plan uses a stage kind without a runner
     */
    public AgentRun run(String jobId, Brief brief, ContentPlan plan, long seed, Path workDir) throws InterruptedException {
        for (StageSpec stage : plan.stages()) {
            if (stage.kind() != StageKind.TEXT && !tools.containsKey(stage.kind())) {
                throw new IllegalArgumentException("no runner for stage " + stage.id() + " of kind " + stage.kind());
            }
        }
        long created = System.currentTimeMillis();
        List<Message> messages = new ArrayList<>(List.of(AgentMessages.system(brief), AgentMessages.plan(plan)));
        Map<String, StageOutput> outputs = new LinkedHashMap<>();
        List<StageProgress> stages = new ArrayList<>(plan.stages().stream().map(s -> StageProgress.pending(s.id())).toList());
        String error = null;
        int dropped = 0;
        int textCalls = 0;
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = plan.stages().get(i);
            if (error != null) {
                stages.set(i, stages.get(i).with(StageState.SKIPPED, "not run: the graph ended at an earlier node"));
                continue;
            }
            List<Violation> previous = List.of();
            while (stages.get(i).state() == StageState.PENDING) {
                StageProgress progress = stages.get(i);
                int attempt = progress.attempts().size() + 1;
                StageCall call = new StageCall(brief, stage, inputsOf(stage, outputs), attempt, previous,
                        allowance(brief, stages), workDir, seed);
                NodeAttempt result = runNode(stage, call, messages);
                if (stage.kind() == StageKind.TEXT && result.error() == null) {
                    textCalls++;
                    dropped += result.droppedMessages();
                }
                AttemptRecord record = result.toRecord(attempt, stage.constraints(), workDir);
                progress = progress.plus(record);
                if (result.result() != null) {
                    messages.add(AgentMessages.output(stage, result.result().output()));
                }
                if (record.accepted()) {
                    outputs.put(stage.id(), result.result().output());
                    stages.set(i, progress.succeeded(result.result().output()));
                } else {
                    messages.add(record.error() != null ? AgentMessages.error(stage, attempt, record.error())
                            : AgentMessages.violations(stage, attempt, record.violations()));
                    if (result.fatal() || attempt >= stage.maxAttempts()) {
                        error = record.failureText(stage);
                        stages.set(i, progress.with(StageState.FAILED, error));
                    } else {
                        stages.set(i, progress);
                        previous = Violation.accumulate(previous, record.violations()); // as ours: every earlier violation
                    }
                }
            }
        }
        JobState state = error == null ? JobState.SUCCEEDED : JobState.FAILED;
        JobSnapshot job = new JobSnapshot(jobId, brief, plan, 0, seed, state, stages, error, created,
                System.currentTimeMillis());
        return new AgentRun(job, messages, dropped, textCalls);
    }

    private NodeAttempt runNode(StageSpec stage, StageCall call, List<Message> messages) throws InterruptedException {
        List<Message> history = List.copyOf(messages);
        if (stage.model() == null) {
            StageRunner runner = tools.get(stage.kind());
            return NodeAttempt.run(() -> new TextNode.Outcome(runner.run(call, null, () -> false), 0));
        }
        try {
            return scheduler.submit(stage.model(), 0, (model, context) -> NodeAttempt.run(() -> stage.kind() == StageKind.TEXT
                    ? textNode.run(call, history, model, context)
                    : new TextNode.Outcome(tools.get(stage.kind()).run(call, model, context), 0))).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return NodeAttempt.failed("stage " + stage.id() + ": " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()));
        }
    }

    private static Map<String, StageOutput> inputsOf(StageSpec stage, Map<String, StageOutput> outputs) {
        Map<String, StageOutput> inputs = new LinkedHashMap<>();
        for (String input : stage.inputs()) {
            inputs.put(input, outputs.get(input));
        }
        return inputs;
    }

    /** Tokens the text model may still generate for this job: the same rule as the executor's. */
    private static long allowance(Brief brief, List<StageProgress> stages) {
        long generated = 0;
        for (StageProgress stage : stages) {
            generated += stage.tokens().modelOut();
        }
        return Math.max(0, brief.tokenBudget() - generated);
    }

}

package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.ContentPlan;
import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.PlanExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs the same briefs through the two-step executor and the agent graph: the same plan (the
 * {@link BriefPlanner}'s, less any stage kind without a runner), the same job seed, one job at a
 * time, the order alternating per brief so that neither system always runs on a cache warmed by
 * the other.
 *
 * <p>Threading: {@link #run} blocks its caller; not for concurrent use. Lifecycle: holds no
 * resources; the executor, the graph and their scheduler belong to the caller.
 */
public final class ComparisonRunner {

    public static final String TWO_STEP = "two_step";
    public static final String AGENT_GRAPH = "agent_graph";
    private static final long JOB_TIMEOUT_MINUTES = 5;

    private final PlanExecutor executor;
    private final AgentGraph graph;
    private final BriefPlanner planner;
    private final Path workRoot;

    /** @param workRoot an existing folder; each job gets its own subfolder for media outputs */
    public ComparisonRunner(PlanExecutor executor, AgentGraph graph, BriefPlanner planner, Path workRoot) {
        this.executor = executor;
        this.graph = graph;
        this.planner = planner;
        this.workRoot = workRoot;
    }

    /** The plan both systems run for {@code brief}. */
    public ContentPlan plan(Brief brief) {
        return planner.plan(brief);
    }

    /**
     * Runs every brief through both systems; {@code progress} hears one line per brief.
     *
     * @param seed the run's seed; brief {@code i}'s job seed derives from it and is the same for both systems
     */
    public List<SystemRun> run(List<Brief> briefs, long seed, Consumer<String> progress) throws Exception {
        List<SystemRun> runs = new ArrayList<>();
        for (int i = 0; i < briefs.size(); i++) {
            Brief brief = briefs.get(i);
            ContentPlan plan = plan(brief);
            long jobSeed = seed * 1_000_003L + i;
            SystemRun ours;
            SystemRun theirs;
            if (i % 2 == 0) {
                ours = twoStep(i, brief, plan, jobSeed);
                theirs = agentGraph(i, brief, plan, jobSeed);
            } else {
                theirs = agentGraph(i, brief, plan, jobSeed);
                ours = twoStep(i, brief, plan, jobSeed);
            }
            runs.add(ours);
            runs.add(theirs);
            progress.accept(String.format(java.util.Locale.ROOT,
                    "brief %2d/%d %-8s %-8s two-step %-9s %4d tokens %6.2f s | agent graph %-9s %4d tokens %6.2f s",
                    i + 1, briefs.size(), brief.topic(), brief.format().wireName(), ours.job().state(),
                    ours.job().tokens().modelTotal(), ours.wallNanos() / 1e9, theirs.job().state(),
                    theirs.job().tokens().modelTotal(), theirs.wallNanos() / 1e9));
        }
        return runs;
    }

    private SystemRun twoStep(int index, Brief brief, ContentPlan plan, long jobSeed)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Path dir = Files.createDirectories(workRoot.resolve(TWO_STEP + "-" + index));
        JobSnapshot job = JobSnapshot.queued(TWO_STEP + "-" + index, brief, plan, 0, jobSeed, System.currentTimeMillis());
        long start = System.nanoTime();
        JobSnapshot done = executor.start(job, dir, snapshot -> { }).done().get(JOB_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        return new SystemRun(TWO_STEP, index, done, System.nanoTime() - start, 0, 0, List.of());
    }

    private SystemRun agentGraph(int index, Brief brief, ContentPlan plan, long jobSeed)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workRoot.resolve(AGENT_GRAPH + "-" + index));
        long start = System.nanoTime();
        AgentRun run = graph.run(AGENT_GRAPH + "-" + index, brief, plan, jobSeed, dir);
        return new SystemRun(AGENT_GRAPH, index, run.job(), System.nanoTime() - start, run.droppedMessages(),
                run.textCalls(), run.messages());
    }
}

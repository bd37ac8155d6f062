package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.bench.agents.AgentGraph;
import dev.feedserver.bench.agents.BenchBriefs;
import dev.feedserver.bench.agents.ComparisonRunner;
import dev.feedserver.bench.agents.HistoryTrimmer;
import dev.feedserver.bench.agents.Spread;
import dev.feedserver.bench.agents.Pricing;
import dev.feedserver.bench.agents.StoryTextNode;
import dev.feedserver.bench.agents.SystemFigures;
import dev.feedserver.bench.agents.SystemRun;
import dev.feedserver.generation.models.StandardModels;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.BriefPlanner;
import dev.feedserver.generation.orchestration.DeclaredInputsComposer;
import dev.feedserver.generation.orchestration.PlanExecutor;
import dev.feedserver.generation.orchestration.SpeechStageRunner;
import dev.feedserver.generation.orchestration.StageModels;
import dev.feedserver.generation.orchestration.StageRunner;
import dev.feedserver.generation.orchestration.TextStageRunner;
import dev.feedserver.generation.orchestration.TitleStageRunner;
import dev.feedserver.generation.orchestration.ImageStageRunner;
import dev.feedserver.generation.orchestration.VideoStageRunner;
import dev.feedserver.generation.media.VideoComposer;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.generation.registry.ModelRegistry;
import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.SchedulerConfig;
import dev.feedserver.generation.text.WeightMode;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code agents} suite: the same briefs through our two-step orchestration (the
 * {@code BriefPlanner}'s plan run by the {@code PlanExecutor}, each stage reading only its
 * declared inputs) and through a LangGraph-style agent graph ({@link AgentGraph}: every text
 * node reads the accumulated message history), with the same plan, models, runners, seeds,
 * constraint checks and attempt limits. Reports tokens, wall time, pass rate, busy time and
 * cost per output for both; writes {@code agents.json} and {@code agents.png}.
 */
@Command(name = "agents", mixinStandardHelpOptions = true,
        description = "Two-step orchestration vs a LangGraph-style agent graph: tokens, time, pass rate and cost per output.")
public final class AgentsSuite implements Callable<Integer> {

    static final String TEXT_MODEL = "stories260K";
    static final String IMAGE_MODEL = StandardModels.COVER;
    static final String VIDEO_MODEL = StandardModels.VIDEO;
    private static final String CPU_PRICE_ID = "cloud";
    private static final String GPU_PRICE_SOURCE = "https://main.d1m6t5n8e4tvia.amplifyapp.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/";
    private static final String GPU_SPEEDUP_SOURCE = "https://llcuda.github.io/performance/benchmarks";

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for agents.json and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--briefs", defaultValue = "24", description = "Briefs in the mix (default ${DEFAULT-VALUE}).")
    int briefs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the brief mix and the sampling (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--text-model", defaultValue = "../shared/models/stories260K/stories260K.bin",
            description = "llama2.c checkpoint of the text model (default ${DEFAULT-VALUE}).")
    Path textModel;

    @Option(names = "--text-tokenizer", defaultValue = "../shared/models/stories260K/tok512.bin",
            description = "Its tokenizer (default ${DEFAULT-VALUE}).")
    Path textTokenizer;

    @Option(names = "--workers", defaultValue = "2", description = "Model scheduler worker threads (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--prices", description = "A prices.json to use instead of the built-in one.")
    Path prices;

    @Option(names = "--gpu-usd-per-hour", defaultValue = "1.006",
            description = "Hourly price of the 24 GB GPU machine of the projection (default ${DEFAULT-VALUE}: AWS g5.xlarge, one A10G 24 GB, on demand, us-east-1).")
    double gpuUsdPerHour;

    @Option(names = "--gpu-text-speedup", defaultValue = "16.4",
            description = "Assumed CPU/GPU ratio of text-model busy time (default ${DEFAULT-VALUE}: documented full-offload vs CPU-only decoding tokens/s of a 1B model on a T4).")
    double gpuTextSpeedup;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(textModel) || !Files.isRegularFile(textTokenizer)) {
            System.err.println("agents: the text model is missing: need " + textModel + " and " + textTokenizer
                    + " (stories260K from ../shared/models/stories260K; see --text-model and --text-tokenizer)");
            return 2;
        }
        Files.createDirectories(output);
        CostModel costs = CostModel.load(prices);
        Double cpuPrice = costs.usdPerCpuHour().get(CPU_PRICE_ID);
        if (cpuPrice == null) {
            throw new IllegalArgumentException("prices: no cpu_prices entry '" + CPU_PRICE_ID + "'");
        }
        Pricing pricing = new Pricing(cpuPrice, gpuUsdPerHour, gpuTextSpeedup);
        List<Brief> mix = BenchBriefs.mix(briefs, seed);
        ModelRegistry registry = new ModelRegistry();
        StandardModels.registerText(registry, TEXT_MODEL, textModel, textTokenizer, WeightMode.INT8, 2);
        StandardModels.registerSpeech(registry);
        StandardModels.registerCover(registry);
        StandardModels.registerVideo(registry, new VideoComposer());
        StageModels models = new StageModels(TEXT_MODEL, StandardModels.SPEECH, IMAGE_MODEL, VIDEO_MODEL);
        Path work = Files.createTempDirectory("feedserver-agents-bench");
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        try (ModelScheduler scheduler = new ModelScheduler(registry, SchedulerConfig.defaults().withWorkers(workers))) {
            scheduler.start();
            List<StageRunner> tools = toolRunners();
            List<StageRunner> ours = new ArrayList<>(tools);
            ours.add(new TextStageRunner(new DeclaredInputsComposer()));
            PlanExecutor executor = new PlanExecutor(scheduler, ours, callbacks, System::currentTimeMillis);
            AgentGraph graph = new AgentGraph(scheduler, new StoryTextNode(), tools);
            BriefPlanner planner = new BriefPlanner(models);
            ComparisonRunner runner = new ComparisonRunner(executor, graph, planner, work);
            // One unrecorded brief through both systems first: loads the models and warms the JIT.
            runner.run(BenchBriefs.mix(1, seed + 1), seed + 1, line -> { });
            long start = System.nanoTime();
            List<SystemRun> runs = runner.run(mix, seed, System.out::println);
            System.out.printf(Locale.ROOT, "%d briefs in %.1f s%n", mix.size(), (System.nanoTime() - start) / 1e9);
            write(runs, mix, pricing, costs);
        } finally {
            callbacks.shutdownNow();
        }
        return 0;
    }

    /**
     * The non-text runners both systems use: title, speech, cover and video, one for every
     * non-text stage kind a plan has.
     */
    static List<StageRunner> toolRunners() {
        return List.of(new TitleStageRunner(), new SpeechStageRunner(), new ImageStageRunner(), new VideoStageRunner());
    }

    private void write(List<SystemRun> runs, List<Brief> mix, Pricing pricing, CostModel costs) {
        SystemFigures ours = new SystemFigures(runs.stream().filter(r -> r.system().equals(ComparisonRunner.TWO_STEP)).toList(), pricing);
        SystemFigures theirs = new SystemFigures(runs.stream().filter(r -> r.system().equals(ComparisonRunner.AGENT_GRAPH)).toList(), pricing);
        Map<String, Metric> metrics = new LinkedHashMap<>();
        double reduction = 1 - ours.tokens(TokenCount::modelTotal).mean() / theirs.tokens(TokenCount::modelTotal).mean();
        double reductionMedian = 1 - ours.tokens(TokenCount::modelTotal).median() / theirs.tokens(TokenCount::modelTotal).median();
        double reductionCl100k = 1 - ours.tokens(TokenCount::cl100kTotal).mean() / theirs.tokens(TokenCount::cl100kTotal).mean();
        metrics.put("token_reduction_model_mean", new Metric(100 * reduction, "% fewer tokens per output than the agent graph"));
        metrics.put("token_reduction_model_median", new Metric(100 * reductionMedian, "% fewer (medians)"));
        metrics.put("token_reduction_cl100k_mean", new Metric(100 * reductionCl100k, "% fewer cl100k tokens per output"));
        metrics.put("pass_rate_difference", new Metric(ours.passRate() - theirs.passRate(), "two-step minus agent graph"));
        for (Map.Entry<String, SystemFigures> e : Map.of(ComparisonRunner.TWO_STEP, ours, ComparisonRunner.AGENT_GRAPH, theirs)
                .entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
            String p = e.getKey() + "_";
            SystemFigures f = e.getValue();
            spread(metrics, p + "tokens_model_total", f.tokens(TokenCount::modelTotal), "tokens");
            metrics.put(p + "tokens_model_in_mean", new Metric(f.tokens(TokenCount::modelIn).mean(), "tokens"));
            metrics.put(p + "tokens_model_out_mean", new Metric(f.tokens(TokenCount::modelOut).mean(), "tokens"));
            metrics.put(p + "tokens_cl100k_total_mean", new Metric(f.tokens(TokenCount::cl100kTotal).mean(), "tokens"));
            metrics.put(p + "pass_rate", new Metric(f.passRate(), "share of briefs"));
            metrics.put(p + "wall_s_median", new Metric(f.wallSeconds().median(), "s"));
            metrics.put(p + "busy_s_per_output_mean", new Metric(f.busySeconds().mean(), "s"));
            metrics.put(p + "cost_usd_per_output_cpu", new Metric(f.cpuUsd().mean(), "USD"));
            metrics.put(p + "cost_usd_per_output_gpu_projected", new Metric(f.gpuUsd().mean(), "USD (projection)"));
        }
        ObjectNode details = Json.object();
        details.put("briefs", mix.size()).put("seed", seed).put("workers", workers)
                .put("text_model", TEXT_MODEL + " int8 (" + textModel + "), context 512 tokens, vocabulary 512")
                .put("method", "Each brief is planned once by BriefPlanner (step 1, rules, no model tokens); both systems run "
                        + "that plan with the same job seed (so each attempt samples with the same seed), the same runners "
                        + "(TextStageRunner, TitleStageRunner, SpeechStageRunner, ImageStageRunner, VideoStageRunner), the same ConstraintChecker and the same "
                        + "attempt limits, one job at a time through one ModelScheduler, the order of the two alternating by "
                        + "brief; one unrecorded brief first loads the models. Two-step: PlanExecutor with "
                        + "DeclaredInputsComposer (a stage reads only its declared inputs; independent stages in parallel). "
                        + "Agent graph: a LangGraph-style StateGraph whose state is a message list: the system message "
                        + "(instructions and brief), the plan as the planner's message, then every node output (accepted or "
                        + "not) and every failed check's violations; text nodes read the whole history rendered as "
                        + "'Role (node): text' lines, trimmed like trim_messages(strategy='last', include_system=True) "
                        + "with the model's tokenizer to leave room for the node's generation; nodes run one per super-step "
                        + "in plan order. Tokens per output: all stages and attempts of a brief's job, failed jobs "
                        + "included; model tokens are what the model read (prompt, BOS included) and generated; cl100k "
                        + "counts the same texts with jtokkit's cl100k_base. Busy seconds: time the attempts held a "
                        + "scheduler worker. Reductions are 1 - two-step / agent graph.")
                .put("notes", "Timings come from a shared 2-core machine with other work running, so wall and busy "
                        + "seconds (and the costs made from them) are noisy; the headline is the token count, which "
                        + "does not depend on timing. The agent graph gets its plan for free (from BriefPlanner); a "
                        + "real plan-and-execute agent would also spend tokens on a planner call, so its figures here "
                        + "are a lower bound.");
        ObjectNode cost = details.putObject("cost_assumptions");
        cost.put("cpu_price_entry", CPU_PRICE_ID).put("cpu_usd_per_vcpu_hour", pricing.cpuUsdPerVcpuHour())
                .put("cpu_method", "cost per output = busy seconds x USD per vCPU-hour / 3600: each attempt runs on one "
                        + "scheduler worker thread (the native stories260K decoder is single-threaded), i.e. one vCPU")
                .put("gpu_card", "NVIDIA A10G 24 GB (AWS g5.xlarge, on demand, us-east-1)")
                .put("gpu_usd_per_hour", pricing.gpuUsdPerHour())
                .put("gpu_price_source", GPU_PRICE_SOURCE + " ('a GPU g5.xlarge is $1.006/hr', us-east-1, June 2026)")
                .put("gpu_text_speedup", pricing.gpuTextSpeedup())
                .put("gpu_speedup_source", GPU_SPEEDUP_SOURCE + " (llcuda v2.1.0, Gemma 3-1B Q4_K_M on a Tesla T4: "
                        + "8.2 tokens/s with 0 GPU layers, 134.3 with all 35 layers on the GPU: 16.4x)")
                .put("gpu_method", "PROJECTION, NOT A MEASUREMENT: text-stage busy seconds / speed-up x GPU USD per hour "
                        + "/ 3600, plus the other stages' busy seconds at the CPU price (speech stays on the CPU). The "
                        + "speed-up is a documented tokens/s ratio of a 1B model on a 16 GB T4 against that machine's "
                        + "CPU, taken unchanged for the 24 GB A10G class (a newer card with more memory bandwidth, so "
                        + "probably conservative for models that fill it). For stories260K itself a GPU would be "
                        + "launch-bound and gain little; the projection prices the job shape, not this tiny model.");
        cost.set("prices", costs.describe());
        details.set(ComparisonRunner.TWO_STEP, ours.toJson());
        details.set(ComparisonRunner.AGENT_GRAPH, theirs.toJson());
        details.set("runs", runRecords(runs, mix));
        runs.stream().filter(r -> r.system().equals(ComparisonRunner.AGENT_GRAPH)).findFirst()
                .ifPresent(r -> details.put("example_agent_history", HistoryTrimmer.render(r.messages())));
        Path file = output.resolve("agents.json");
        ResultFile.write(file, "agents", "./feedserver bench agents" + (briefs != 24 ? " --briefs " + briefs : "")
                + (seed != 7 ? " --seed " + seed : ""), metrics, details);
        AgentsChart.write(output.resolve("agents.png"), mix.size(), ours, theirs);
        System.out.printf(Locale.ROOT, "two-step %.0f model tokens per output (pass %.0f%%), agent graph %.0f (pass %.0f%%): "
                        + "%.1f%% fewer; cl100k %.1f%% fewer%nwrote %s%n", ours.tokens(TokenCount::modelTotal).mean(),
                100 * ours.passRate(), theirs.tokens(TokenCount::modelTotal).mean(), 100 * theirs.passRate(),
                100 * reduction, 100 * reductionCl100k, file);
    }

    private static void spread(Map<String, Metric> metrics, String name, Spread s, String unit) {
        metrics.put(name + "_mean", new Metric(s.mean(), unit));
        metrics.put(name + "_median", new Metric(s.median(), unit));
        metrics.put(name + "_p10", new Metric(s.p10(), unit));
        metrics.put(name + "_p90", new Metric(s.p90(), unit));
    }

    private static ArrayNode runRecords(List<SystemRun> runs, List<Brief> mix) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (SystemRun run : runs) {
            Brief brief = mix.get(run.brief());
            TokenCount t = run.job().tokens();
            ObjectNode r = out.addObject();
            r.put("brief", run.brief()).put("system", run.system()).put("topic", brief.topic())
                    .put("format", brief.format().wireName()).put("keywords", String.join(" ", brief.requiredKeywords()))
                    .put("state", run.job().state().name()).put("model_in", t.modelIn()).put("model_out", t.modelOut())
                    .put("cl100k_in", t.cl100kIn()).put("cl100k_out", t.cl100kOut())
                    .put("wall_s", run.wallNanos() / 1e9).put("busy_s", run.job().busyNanos() / 1e9);
            if (run.job().error() != null) {
                r.put("error", run.job().error());
            }
            ArrayNode attempts = r.putArray("attempts");
            SystemFigures.attemptLines(run).forEach(attempts::add);
        }
        return out;
    }
}

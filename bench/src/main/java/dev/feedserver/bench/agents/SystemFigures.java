package dev.feedserver.bench.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.orchestration.AttemptRecord;
import dev.feedserver.generation.orchestration.StageKind;
import dev.feedserver.generation.orchestration.StageProgress;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.server.http.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one system over its runs: tokens per output (each brief asks for one output;
 * model tokenizer and cl100k, in, out and total), wall time, constraint pass rate (jobs that
 * succeeded / briefs, and per stage the share passing on the first attempt), busy seconds and
 * cost per output, on the CPU and projected to a GPU. "Per output" figures are spreads over the
 * briefs' jobs, failed ones included; "per delivered output" divides the totals by the jobs that
 * succeeded.
 *
 * <p>Threading and lifecycle: an immutable value once built.
 */
public final class SystemFigures {

    private final List<SystemRun> runs;
    private final Pricing pricing;

    public SystemFigures(List<SystemRun> runs, Pricing pricing) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        this.runs = List.copyOf(runs);
        this.pricing = pricing;
    }

    public Spread spread(ToDoubleFunction<SystemRun> figure) {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }

    public Spread tokens(ToDoubleFunction<TokenCount> count) {
        return spread(run -> count.applyAsDouble(run.job().tokens()));
    }

    public double passRate() {
        return runs.stream().filter(SystemRun::succeeded).count() / (double) runs.size();
    }

    public Spread busySeconds() {
        return spread(run -> run.job().busyNanos() / 1e9);
    }

    public Spread wallSeconds() {
        return spread(run -> run.wallNanos() / 1e9);
    }

    public Spread cpuUsd() {
        return spread(run -> pricing.cpuUsd(run.job().busyNanos() / 1e9));
    }

    public Spread gpuUsd() {
        return spread(run -> pricing.gpuUsd(run.busyNanos(StageKind.TEXT) / 1e9,
                (run.job().busyNanos() - run.busyNanos(StageKind.TEXT)) / 1e9));
    }

    /** Per stage id: the share of runs in which the stage ran whose first attempt passed. */
    public Map<String, Double> firstAttemptPassRates() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (SystemRun run : runs) {
            for (StageProgress stage : run.job().stages()) {
                if (!stage.attempts().isEmpty()) {
                    int[] c = counts.computeIfAbsent(stage.id(), k -> new int[2]);
                    c[0] += stage.attempts().getFirst().accepted() ? 1 : 0;
                    c[1]++;
                }
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        counts.forEach((id, c) -> rates.put(id, c[0] / (double) c[1]));
        return rates;
    }

    /** Total model tokens over all jobs divided by the jobs that succeeded (infinite when none did). */
    public double modelTokensPerDeliveredOutput() {
        long total = runs.stream().mapToLong(run -> run.job().tokens().modelTotal()).sum();
        long delivered = runs.stream().filter(SystemRun::succeeded).count();
        return delivered == 0 ? Double.POSITIVE_INFINITY : total / (double) delivered;
    }

    /** Every figure, for the result file. */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        out.put("jobs", runs.size()).put("succeeded", runs.stream().filter(SystemRun::succeeded).count())
                .put("pass_rate", passRate());
        ObjectNode first = out.putObject("first_attempt_pass_rate_by_stage");
        firstAttemptPassRates().forEach(first::put);
        ObjectNode attempts = out.putObject("mean_attempts_by_stage");
        attemptsByStage().forEach(attempts::put);
        ObjectNode tokens = out.putObject("tokens_per_output");
        put(tokens, "model_in", tokens(TokenCount::modelIn));
        put(tokens, "model_out", tokens(TokenCount::modelOut));
        put(tokens, "model_total", tokens(TokenCount::modelTotal));
        put(tokens, "cl100k_in", tokens(TokenCount::cl100kIn));
        put(tokens, "cl100k_out", tokens(TokenCount::cl100kOut));
        put(tokens, "cl100k_total", tokens(TokenCount::cl100kTotal));
        long delivered = runs.stream().filter(SystemRun::succeeded).count();
        if (delivered > 0) { // with none delivered there is no per-delivered figure
            double busyTotal = runs.stream().mapToDouble(run -> run.job().busyNanos() / 1e9).sum();
            out.put("model_tokens_per_delivered_output", modelTokensPerDeliveredOutput())
                    .put("cost_usd_per_delivered_output_cpu", pricing.cpuUsd(busyTotal) / delivered);
        }
        put(out, "wall_seconds_per_output", wallSeconds());
        put(out, "busy_seconds_per_output", busySeconds());
        put(out, "text_busy_seconds_per_output", spread(run -> run.busyNanos(StageKind.TEXT) / 1e9));
        put(out, "cost_usd_per_output_cpu", cpuUsd());
        put(out, "cost_usd_per_output_gpu_projected", gpuUsd());
        int textCalls = runs.stream().mapToInt(SystemRun::textCalls).sum();
        if (textCalls > 0) {
            out.put("text_calls", textCalls).put("history_messages_trimmed", runs.stream().mapToInt(SystemRun::droppedMessages).sum());
        }
        return out;
    }

    private Map<String, Double> attemptsByStage() {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (SystemRun run : runs) {
            for (StageProgress stage : run.job().stages()) {
                if (!stage.attempts().isEmpty()) {
                    double[] s = sums.computeIfAbsent(stage.id(), k -> new double[2]);
                    s[0] += stage.attempts().size();
                    s[1]++;
                }
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((id, s) -> means.put(id, s[0] / s[1]));
        return means;
    }

    private static void put(ObjectNode parent, String name, Spread spread) {
        parent.putObject(name).put("mean", spread.mean()).put("median", spread.median()).put("p10", spread.p10())
                .put("p90", spread.p90());
    }

    /** The attempts of a run as short lines, for the per-run record. */
    public static List<String> attemptLines(SystemRun run) {
        return run.job().stages().stream().flatMap(stage -> stage.attempts().stream().map(a -> line(stage.id(), a))).toList();
    }

    private static String line(String stage, AttemptRecord attempt) {
        String verdict = attempt.accepted() ? "ok" : attempt.error() != null ? "error: " + attempt.error()
                : attempt.violations().toString();
        return stage + " #" + attempt.attempt() + " " + verdict;
    }
}

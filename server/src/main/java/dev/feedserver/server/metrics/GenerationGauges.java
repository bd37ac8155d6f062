package dev.feedserver.server.metrics;

import dev.feedserver.generation.scheduler.ModelScheduler;
import dev.feedserver.generation.scheduler.ModelStatsSnapshot;
import dev.feedserver.generation.scheduler.SchedulerStats;
import java.util.function.ToDoubleFunction;

/**
 * Renders the generation scheduler's statistics as Prometheus families: the budget, the bytes
 * charged now and at peak, queued and running tasks, and per model (label {@code model})
 * loads, unloads, load failures, tasks by outcome, busy and queue-wait seconds, resident and
 * peak resident bytes. Model names are registry keys, so the label set is bounded. Stateless;
 * reads one {@link SchedulerStats} snapshot per scrape.
 */
public final class GenerationGauges {

    private GenerationGauges() {
    }

    /** Adds the families to every scrape of {@code metrics}. */
    public static void register(Metrics metrics, ModelScheduler scheduler) {
        metrics.section("generation", out -> render(out, scheduler.stats()));
    }

    static void render(StringBuilder out, SchedulerStats stats) {
        gauge(out, "feedserver_generation_budget_bytes", "Model memory budget of the generation scheduler.", stats.budgetBytes());
        gauge(out, "feedserver_generation_resident_bytes", "Model memory charged now (resident, loading and unloading models).",
                stats.residentBytes());
        gauge(out, "feedserver_generation_peak_resident_bytes", "Most model memory ever charged at once.", stats.peakResidentBytes());
        gauge(out, "feedserver_generation_queued_tasks", "Generation tasks waiting.", stats.queued());
        gauge(out, "feedserver_generation_running_tasks", "Generation tasks running.", stats.running());
        perModel(out, stats, "feedserver_generation_model_loads_total", "counter", "Model loads.", ModelStatsSnapshot::loads);
        perModel(out, stats, "feedserver_generation_model_unloads_total", "counter", "Model unloads.", ModelStatsSnapshot::unloads);
        perModel(out, stats, "feedserver_generation_model_load_failures_total", "counter", "Model loads that failed.",
                ModelStatsSnapshot::loadFailures);
        perModel(out, stats, "feedserver_generation_model_busy_seconds_total", "counter", "Time tasks ran on the model.",
                m -> m.busyNanos() / 1e9);
        perModel(out, stats, "feedserver_generation_model_queue_wait_seconds_total", "counter",
                "Time the model's tasks waited before starting.", m -> m.queueWaitNanos() / 1e9);
        perModel(out, stats, "feedserver_generation_model_resident_bytes", "gauge", "Bytes the model is charged now.",
                ModelStatsSnapshot::residentBytes);
        perModel(out, stats, "feedserver_generation_model_peak_resident_bytes", "gauge", "Most bytes the model was charged.",
                ModelStatsSnapshot::peakResidentBytes);
        out.append("# HELP feedserver_generation_model_tasks_total Generation tasks finished, by outcome.\n")
                .append("# TYPE feedserver_generation_model_tasks_total counter\n");
        for (ModelStatsSnapshot m : stats.models()) {
            task(out, m.model(), "completed", m.tasksCompleted());
            task(out, m.model(), "failed", m.tasksFailed());
            task(out, m.model(), "cancelled", m.tasksCancelled());
        }
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        sample(out, name, "gauge", help, value);
    }

    /** One unlabelled metric family with its HELP and TYPE lines, for the sections other generation parts register. */
    public static void sample(StringBuilder out, String name, String type, String help, Number value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    private static void perModel(StringBuilder out, SchedulerStats stats, String name, String type, String help,
                                 ToDoubleFunction<ModelStatsSnapshot> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (ModelStatsSnapshot m : stats.models()) {
            double v = value.applyAsDouble(m);
            out.append(name).append("{model=\"").append(m.model()).append("\"} ");
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                out.append((long) v);
            } else {
                out.append(v);
            }
            out.append('\n');
        }
    }

    private static void task(StringBuilder out, String model, String outcome, long count) {
        out.append("feedserver_generation_model_tasks_total{model=\"").append(model).append("\",outcome=\"").append(outcome)
                .append("\"} ").append(count).append('\n');
    }
}

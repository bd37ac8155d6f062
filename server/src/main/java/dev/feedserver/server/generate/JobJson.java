package dev.feedserver.server.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.orchestration.AttemptRecord;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.JobSnapshot;
import dev.feedserver.generation.orchestration.StageProgress;
import dev.feedserver.generation.orchestration.StageSpec;
import dev.feedserver.generation.orchestration.StageState;
import dev.feedserver.generation.orchestration.TokenCount;
import dev.feedserver.generation.orchestration.Violation;
import dev.feedserver.server.http.Json;
import java.time.Instant;
import java.util.Locale;

/**
 * The wire form of a generation job: state, per-stage progress with outputs (text inline, media
 * as URLs this server serves), tokens in and out per stage in both tokenizers, busy seconds and
 * cost.
 *
 * <p>Threading and lifecycle: stateless.
 */
public final class JobJson {

    private final GenerationPrice price;

    public JobJson(GenerationPrice price) {
        this.price = price;
    }

    /** The job as JSON. */
    public ObjectNode encode(StoredJob stored) {
        JobSnapshot job = stored.job();
        ObjectNode node = Json.object();
        node.put("job_id", job.id());
        node.put("state", lower(job.state().name()));
        node.put("priority", job.priority());
        node.put("created_at", Instant.ofEpochMilli(job.createdMillis()).toString());
        if (job.finishedMillis() > 0) {
            node.put("finished_at", Instant.ofEpochMilli(job.finishedMillis()).toString());
        }
        if (job.error() != null) {
            node.put("error", job.error());
        }
        if (stored.idempotencyKey() != null) {
            node.put("idempotency_key", stored.idempotencyKey());
        }
        if (stored.itemId() != null) {
            node.put("item_id", stored.itemId());
        }
        node.set("brief", brief(job.brief()));
        int done = 0;
        ArrayNode stages = node.putArray("stages");
        for (int i = 0; i < job.stages().size(); i++) {
            StageProgress progress = job.stages().get(i);
            if (progress.state() == StageState.SUCCEEDED) {
                done++;
            }
            stages.add(stage(job.id(), job.plan().stages().get(i), progress));
        }
        ObjectNode progressNode = node.putObject("progress");
        progressNode.put("stages_succeeded", done);
        progressNode.put("stages_total", job.stages().size());
        node.set("tokens", tokens(job.tokens()));
        node.put("busy_seconds", job.busyNanos() / 1e9);
        node.put("cost_usd", price.cost(job.busyNanos()));
        node.put("price_usd_per_device_hour", price.usdPerDeviceHour());
        return node;
    }

    private ObjectNode stage(String jobId, StageSpec spec, StageProgress progress) {
        ObjectNode node = Json.object();
        node.put("id", spec.id());
        node.put("kind", lower(spec.kind().name()));
        if (spec.model() != null) {
            node.put("model", spec.model());
        }
        ArrayNode inputs = node.putArray("inputs");
        spec.inputs().forEach(inputs::add);
        node.put("state", lower(progress.state().name()));
        node.put("attempts", progress.attempts().size());
        node.put("max_attempts", spec.maxAttempts());
        if (!progress.attempts().isEmpty()) {
            AttemptRecord last = progress.attempts().getLast();
            ArrayNode violations = node.putArray("last_violations");
            for (Violation violation : last.violations()) {
                violations.addObject().put("rule", violation.rule()).put("detail", violation.detail());
            }
        }
        if (progress.error() != null) {
            node.put("error", progress.error());
        }
        if (progress.output() != null) {
            ObjectNode output = node.putObject("output");
            output.put("media_type", progress.output().mediaType());
            if (progress.output().isText()) {
                output.put("text", progress.output().text());
            } else {
                output.put("url", "/v1/generate/" + jobId + "/outputs/" + progress.output().file());
            }
        }
        node.set("tokens", tokens(progress.tokens()));
        node.put("busy_seconds", progress.busyNanos() / 1e9);
        node.put("cost_usd", price.cost(progress.busyNanos()));
        return node;
    }

    private static ObjectNode brief(Brief brief) {
        ObjectNode node = Json.object();
        node.put("topic", brief.topic());
        node.put("format", brief.format().wireName());
        node.put("audience", brief.audience().wireName());
        brief.tags().forEach(node.putArray("tags")::add);
        brief.requiredKeywords().forEach(node.putArray("required_keywords")::add);
        brief.bannedWords().forEach(node.putArray("banned_words")::add);
        node.put("min_words", brief.minWords());
        node.put("max_words", brief.maxWords());
        node.put("token_budget", brief.tokenBudget());
        if (brief.clusterId() >= 0) {
            node.put("cluster_id", brief.clusterId());
        }
        return node;
    }

    private static ObjectNode tokens(TokenCount tokens) {
        ObjectNode node = Json.object();
        node.put("model_in", tokens.modelIn());
        node.put("model_out", tokens.modelOut());
        node.put("cl100k_in", tokens.cl100kIn());
        node.put("cl100k_out", tokens.cl100kOut());
        return node;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

package dev.feedserver.server.generate;

import dev.feedserver.generation.orchestration.JobState;
import dev.feedserver.server.api.Params;
import dev.feedserver.server.http.ApiException;
import dev.feedserver.server.http.ApiRequest;
import dev.feedserver.server.http.ApiResponse;
import dev.feedserver.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generation jobs API: {@code POST /v1/generate} (202 with the job; the same idempotency key
 * and brief answer the same job again), {@code GET /v1/generate/{id}}, {@code DELETE
 * /v1/generate/{id}} (cancels; 409 when already finished), and {@code GET
 * /v1/generate/{id}/outputs/{file}} (a media output).
 *
 * <p>Threading: thread-safe; runs on worker threads. Lifecycle: lives as long as the server.
 */
public final class GenerateHandler {

    /** Media files are served whole from the heap; a story's video is well under this. */
    private static final long MAX_OUTPUT_BYTES = 16L << 20;
    /** Output reads at once, so whole-file reads stay within a bounded share of the heap. */
    private static final int MAX_OUTPUT_READS = 4;

    private final java.util.concurrent.Semaphore outputReads = new java.util.concurrent.Semaphore(MAX_OUTPUT_READS);

    private final GenerationHolder holder;

    public GenerateHandler(GenerationHolder holder) {
        this.holder = holder;
    }

    private JobJson json() {
        return new JobJson(holder.require().price());
    }

    public ApiResponse submit(ApiRequest request) {
        GenerateRequest parsed = GenerateRequest.parse(request.body());
        GenerationJobs jobs = holder.require();
        GenerationJobs.Submitted submitted;
        try {
            submitted = jobs.submit(parsed.brief(), parsed.priority(), parsed.idempotencyKey());
        } catch (GenerationJobs.Refused e) {
            if (e.conflict()) {
                throw new ApiException(HttpResponseStatus.CONFLICT, "idempotency_key_reused", e.getMessage());
            }
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "generation_busy", e.getMessage())
                    .withHeader("Retry-After", "10");
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "job_store_unavailable",
                    "the job could not be saved: " + e.getMessage());
        }
        var node = json().encode(submitted.job());
        node.put("duplicate", submitted.duplicate());
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, Json.bytes(node))
                .withHeader("Location", "/v1/generate/" + submitted.job().job().id());
    }

    /** The newest jobs first: {@code limit} (1..100, default 20), optionally only those in {@code state}. */
    public ApiResponse list(ApiRequest request) {
        int limit = Params.intInRange(request.queryParam("limit"), "limit", 1, 100, 20);
        String state = request.queryParam("state");
        JobState wanted = null;
        if (state != null) {
            try {
                wanted = JobState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_parameter",
                        "'state' must be one of queued, running, succeeded, failed, cancelled");
            }
        }
        GenerationJobs jobs = holder.require();
        JobJson json = new JobJson(jobs.price());
        var body = Json.object();
        var array = body.putArray("jobs");
        for (StoredJob job : jobs.recent(wanted, limit)) {
            array.add(json.encode(job));
        }
        body.put("active", jobs.active());
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(body));
    }

    public ApiResponse get(ApiRequest request) {
        StoredJob job = find(request.pathParam());
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(json().encode(job)));
    }

    public ApiResponse cancel(ApiRequest request) {
        StoredJob job = find(request.pathParam());
        GenerationJobs.Cancelled outcome = holder.require().cancel(job.job().id());
        if (outcome == null || !outcome.cancelled()) {
            StoredJob now = outcome == null ? job : outcome.job();
            throw new ApiException(HttpResponseStatus.CONFLICT, "job_finished", "job " + now.job().id() + " already "
                    + now.job().state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(json().encode(outcome.job())));
    }

    public ApiResponse output(ApiRequest request) {
        String param = request.pathParam();
        int slash = param.indexOf('/');
        String jobId = param.substring(0, slash);
        String file = param.substring(slash + 1);
        StoredJob job = find(jobId); // validates the id before anything touches the disk
        Path path = holder.require().store().output(job.job().id(), file);
        String mediaType = mediaTypeOf(job, file);
        if (path == null || mediaType == null) {
            throw ApiException.notFound("output_not_found", "job " + job.job().id() + " has no output "
                    + Json.quoteForMessage(file));
        }
        if (!outputReads.tryAcquire()) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                    MAX_OUTPUT_READS + " outputs are being read; retry shortly").withHeader("Retry-After", "1");
        }
        try {
            if (Files.size(path) > MAX_OUTPUT_BYTES) {
                throw new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "output_too_large",
                        "output " + file + " is larger than the " + (MAX_OUTPUT_BYTES >> 20) + " MiB this server serves");
            }
            return ApiResponse.text(HttpResponseStatus.OK, mediaType, Files.readAllBytes(path))
                    .withHeader("Cache-Control", "private, max-age=3600");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            outputReads.release();
        }
    }

    /** The media type of an accepted output named {@code file}, or null when no stage produced it. */
    private static String mediaTypeOf(StoredJob job, String file) {
        for (var stage : job.job().stages()) {
            if (stage.output() != null && file.equals(stage.output().file())) {
                return stage.output().mediaType();
            }
        }
        return null;
    }

    private StoredJob find(String id) {
        if (!JobStore.validId(id)) {
            throw ApiException.badRequest("invalid_parameter", "job id must be 1 to 64 lower-case letters, digits or hyphens");
        }
        StoredJob job = holder.require().get(id);
        if (job == null) {
            throw ApiException.notFound("job_not_found", "no generation job '" + id + "'");
        }
        return job;
    }
}

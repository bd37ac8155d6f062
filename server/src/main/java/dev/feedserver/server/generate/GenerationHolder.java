package dev.feedserver.server.generate;

import dev.feedserver.server.http.ApiException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Holds the server's {@link GenerationJobs} once they exist: the routes are built before the
 * generation runtime starts, and a server without a text model has none at all.
 *
 * <p>Threading: thread-safe (volatile fields). Lifecycle: {@link #publish} once, or
 * {@link #unavailable} with the reason.
 */
public final class GenerationHolder {

    private volatile GenerationJobs jobs;
    private volatile SupplyLoop supply;
    private volatile String reason = "the generation runtime is starting";

    /** Makes the jobs available to the routes. */
    public void publish(GenerationJobs ready) {
        jobs = ready;
    }

    /** Makes the supply loop's counters visible to /metrics. */
    public void supply(SupplyLoop loop) {
        supply = loop;
    }

    /** The supply loop, or null when it does not run. */
    public SupplyLoop supply() {
        return supply;
    }

    /** Records why generation is not available (answered with every request). */
    public void unavailable(String why) {
        reason = why;
    }

    /** The jobs, or null. */
    public GenerationJobs current() {
        return jobs;
    }

    /** The jobs, or a 503 that says why there are none. */
    GenerationJobs require() {
        GenerationJobs current = jobs;
        if (current == null) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "generation_unavailable", reason);
        }
        return current;
    }
}

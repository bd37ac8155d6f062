package dev.feedserver.bench;

import dev.feedserver.ranking.durability.FaultInjectingChannels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.durability.ChangeJournal;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * A client retries a batch that was applied but answered 503 (its fsync failed), with the same
 * {@code batch_id}: in process first (the failure needs an injected channel), then over HTTP on
 * the real jar across a kill and restart.
 */
final class KeyedRetryScenario implements FaultScenario {
    private static final int BATCH = 5;

    @Override
    public String name() {
        return "retry_of_applied_then_503_batch";
    }

    @Override
    public String fault() {
        return "a batch is applied but its fsync fails (503), and the client retries it with the same batch_id; then, on the "
                + "real server, a keyed batch is retried after a kill and restart";
    }

    @Override
    public String expected() {
        return "the retry is answered 202 duplicate:true with the first count once the first attempt is durable, and the batch "
                + "is applied exactly once, also after a restart";
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        FaultInjectingChannels disk = new FaultInjectingChannels();
        try (InProcessJournal live = InProcessJournal.open(context.dir().resolve("log"), disk)) {
            disk.failForce(true);
            boolean refused;
            try {
                live.journal().submitEvents(live.batch("kr", 0, BATCH), "retry-me");
                refused = false;
            } catch (IOException e) {
                refused = true;
            }
            observed.check(refused, "in process: the first attempt's fsync failed, so it was not acknowledged");
            disk.failForce(false);
            ChangeJournal.Submitted retry = live.journal().submitEvents(live.batch("kr", 0, BATCH), "retry-me");
            observed.check(retry.duplicate() && retry.accepted() == BATCH,
                    "in process: the retry was answered as a duplicate of " + retry.accepted() + " events");
            observed.check(live.presentOnce("kr", List.of(0), BATCH) == 1, "in process: the batch is applied once");
        }
        String body = FaultBatches.body("kh", 0, BATCH, "client-7:batch-1");
        try (FaultServer server = FaultServer.start(context.jar(), context.dir().resolve("data"), List.of(), List.of(), Context.SMALL, context.client())) {
            HttpResponse<String> first = server.postUnshed("/v1/events", body);
            observed.check(first.statusCode() == 202 && !duplicate(first), "HTTP: the first post was applied (202 duplicate:false)");
            observed.check(duplicate(server.postUnshed("/v1/events", body)), "HTTP: the same batch_id again is 202 duplicate:true");
            server.kill();
        }
        try (FaultServer restarted = FaultServer.start(context.jar(), context.dir().resolve("data"), List.of(), List.of(), Context.SMALL,
                context.client())) {
            observed.check(duplicate(restarted.postUnshed("/v1/events", body)), "HTTP: after a kill and restart it is still a duplicate");
            observed.check(FaultBatches.presentOnce(restarted, "kh", List.of(0), BATCH) == 1, "HTTP: the batch is applied once");
        }
    }

    private static boolean duplicate(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 202) {
            return false;
        }
        JsonNode body = Json.MAPPER.readTree(response.body());
        return body.path("duplicate").asBoolean(false) && body.path("accepted").asInt() == BATCH;
    }
}

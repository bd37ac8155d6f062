package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event batches with a {@code batch_id} over real HTTP: the same key twice applies the batch
 * once; after a kill and restart (keys rebuilt from the log) and after two checkpoints have
 * deleted the segment that held it (keys from the checkpoint's keys file), a retry is still a
 * duplicate and the user's state shows one application.
 */
class IdempotentEventsIT {
    private static final String[] ARGS = {"--users", "200", "--items", "400", "--topics", "8", "--factors", "16", "--iterations", "4",
            "--content-encoder", "hashing", "--ranker", "none", "--checkpoint-interval", "PT0S", "--segment-bytes", "4096"};

    @TempDir
    Path data;

    @Test
    void aKeyedBatchIsAppliedOnceAcrossRetriesRestartsAndCheckpoints() throws Exception {
        String keyed = batch("idem-user", "client-1:batch-0001");
        try (ServerProcess server = ServerProcess.start(data, ARGS)) {
            JsonNode first = accepted(post(server, keyed));
            assertFalse(first.get("duplicate").asBoolean());
            assertEquals(3, first.get("accepted").asInt());
            JsonNode again = accepted(post(server, keyed));
            assertTrue(again.get("duplicate").asBoolean());
            assertEquals(3, again.get("accepted").asInt(), "the first batch's count");
            assertEquals(3, interactions(server, "idem-user"), "applied once");
            JsonNode unkeyed = accepted(post(server, batch("plain-user", null)));
            assertTrue(unkeyed.get("duplicate") == null, "no duplicate field without a key");
            assertTrue(server.get("/metrics").body().contains("feedserver_event_batch_duplicates_total 1"));
            server.kill();
        }
        try (ServerProcess restarted = ServerProcess.start(data, ARGS)) {
            assertTrue(accepted(post(restarted, keyed)).get("duplicate").asBoolean(), "key rebuilt by the log replay");
            assertEquals(3, interactions(restarted, "idem-user"), "still applied once after a kill and restart");
            fill(restarted, "a");
            restarted.stop(); // writes a checkpoint at shutdown
        }
        try (ServerProcess again = ServerProcess.start(data, ARGS)) {
            fill(again, "b");
            again.stop(); // a second checkpoint: segments the first covers go
        }
        assertEquals(2, Files.list(data.resolve("checkpoints")).filter(p -> p.toString().endsWith(".keys")).count(),
                "each checkpoint has its keys file");
        assertFalse(Files.exists(data.resolve("events").resolve(String.format("segment-%020d.log", 1))),
                "the segment with the keyed batch was deleted");
        try (ServerProcess last = ServerProcess.start(data, ARGS)) {
            assertTrue(accepted(post(last, keyed)).get("duplicate").asBoolean(), "key restored from the checkpoint's keys file");
            assertEquals(3, interactions(last, "idem-user"), "still applied once");
            assertEquals(400, post(last, batch("x", "has space")).statusCode());
        }
    }

    /** Enough unkeyed batches to roll a few 4 KiB segments. */
    private static void fill(ServerProcess server, String tag) throws Exception {
        for (int b = 0; b < 30; b++) {
            accepted(post(server, batch("fill-" + tag + "-" + b, null)));
        }
    }

    /** Posts events, again while the server sheds the request (a busy machine, not what this test is about). */
    private static HttpResponse<String> post(ServerProcess server, String body) throws Exception {
        HttpResponse<String> response = server.postJson("/v1/events", body);
        for (int i = 0; i < 50 && response.statusCode() == 503 && response.body().contains("\"overloaded\""); i++) {
            Thread.sleep(50);
            response = server.postJson("/v1/events", body);
        }
        return response;
    }

    private static JsonNode accepted(HttpResponse<String> response) throws Exception {
        assertEquals(202, response.statusCode(), response.body());
        return ServerProcess.JSON.readTree(response.body());
    }

    private static long interactions(ServerProcess server, String user) throws Exception {
        return server.getJson("/v1/users/" + user).get("interactions").asLong();
    }

    private static String batch(String user, String key) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add("{\"user_id\":\"" + user + "\",\"item_id\":\"i" + (10 + i) + "\",\"type\":\"click\"}");
        }
        return "{" + (key == null ? "" : "\"batch_id\":\"" + key + "\",") + "\"events\":[" + String.join(",", events) + "]}";
    }
}

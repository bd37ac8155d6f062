package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log on a full disk: the log lives on a 1 MiB tmpfs made for the test (root only;
 * skipped elsewhere), next to a ballast file. Batches are posted until the disk fills: from then
 * on events and item writes answer 503 {@code event_log_unavailable} (JSON) while feeds keep
 * serving. The ballast is then deleted and writes succeed again without a restart. The process
 * is killed, the log copied to ordinary disk and the server restarted on it: every acknowledged
 * batch is there, before and after the disk filled, and the refused ones are not.
 */
class EventLogFullIT {
    private static final int BATCH = 50;

    @TempDir
    Path root;
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFullDiskRefusesWritesLosesNothingAcknowledgedAndRecoversWithoutRestart() throws Exception {
        mount = root.resolve("tiny");
        Files.createDirectories(mount);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0, "needs root to mount a small tmpfs");
        Files.write(mount.resolve("ballast"), new byte[256 * 1024]);
        String[] args = {"--users", "200", "--items", "400", "--topics", "8", "--factors", "16", "--iterations", "4",
                "--content-encoder", "hashing", "--ranker", "none", "--max-users", "60000", "--checkpoint-interval", "PT0S"};
        List<String> withLog = new ArrayList<>(List.of(args));
        withLog.addAll(List.of("--event-log-dir", mount.resolve("events").toString()));
        ServerProcess server = ServerProcess.start(root.resolve("data"), withLog.toArray(String[]::new));
        List<Integer> acknowledged = new ArrayList<>();
        HttpResponse<String> refused = null;
        int refusedBatch = -1;
        try {
            for (int b = 0; b < 2_000 && refused == null; b++) {
                HttpResponse<String> response = server.postJson("/v1/events", batch(b));
                for (int retry = 0; retry < 50 && isShed(response); retry++) { // a busy machine, not the fault under test
                    Thread.sleep(50);
                    response = server.postJson("/v1/events", batch(b));
                }
                if (response.statusCode() == 202) {
                    acknowledged.add(b);
                } else {
                    refused = response;
                    refusedBatch = b;
                }
            }
            assertTrue(refused != null, "the 1 MiB disk filled up");
            assertTrue(acknowledged.size() > 10, "batches were acknowledged before it did: " + acknowledged.size());
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("event_log_unavailable", ServerProcess.JSON.readTree(refused.body()).get("error").get("code").asText());
            assertEquals(503, server.postJson("/v1/events", batch(9_999)).statusCode(), "still refused, never half-accepted");
            // an item larger than what the torn tail's truncation gave back (a few hundred bytes)
            String bigItem = "{\"title\":\"t\",\"text\":\"" + "x".repeat(9_000) + "\"}";
            assertEquals(503, server.send("PUT", "/v1/items/full-1", "application/json", bigItem.getBytes()).statusCode());
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.get("/v1/feed?user_id=u" + i + "&limit=5").statusCode(), "feeds keep serving");
            }
            assertTrue(server.metric("feedserver_event_log_failures_total") > 0, "refused writes are counted");

            Files.delete(mount.resolve("ballast")); // space again: no restart needed
            for (int b = 5_000; b < 5_010; b++) {
                HttpResponse<String> response = server.postJson("/v1/events", batch(b));
                assertEquals(202, response.statusCode(), "writes resume once the disk has space: " + response.body());
                acknowledged.add(b);
            }
            assertEquals(201, server.send("PUT", "/v1/items/full-2", "application/json", "{\"title\":\"t\"}".getBytes()).statusCode());
        } finally {
            server.kill();
        }
        Path copy = root.resolve("events-copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(mount.resolve("events"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        List<String> restartArgs = new ArrayList<>(List.of(args));
        restartArgs.addAll(List.of("--event-log-dir", copy.toString()));
        try (ServerProcess restarted = ServerProcess.start(root.resolve("data"), restartArgs.toArray(String[]::new))) {
            int last = acknowledged.getLast();
            for (int b : List.of(acknowledged.getFirst(), acknowledged.get(acknowledged.size() / 2), refusedBatch - 1, last)) {
                for (int e = 0; e < BATCH; e++) {
                    JsonNode user = restarted.getJson("/v1/users/df-" + b + "-" + e);
                    assertEquals(1, user.get("interactions").asLong(), "acknowledged batch " + b + " event " + e + " survived");
                }
            }
            for (int b : acknowledged) {
                assertEquals(200, restarted.get("/v1/users/df-" + b + "-0").statusCode(), "acknowledged batch " + b + " survived");
            }
            assertEquals(404, restarted.get("/v1/users/df-" + refusedBatch + "-0").statusCode(), "the refused batch was not applied");
            assertEquals(404, restarted.get("/v1/users/df-9999-0").statusCode(), "nor the one refused after it");
            assertEquals(200, restarted.get("/v1/items/full-2").statusCode(), "the item put after recovery survived");
            assertEquals(404, restarted.get("/v1/items/full-1").statusCode(), "the refused item put did not");
        }
    }

    private static boolean isShed(HttpResponse<String> response) {
        return response.statusCode() == 503 && response.body().contains("\"overloaded\"");
    }

    private static String batch(int b) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int e = 0; e < BATCH; e++) {
            body.append(e == 0 ? "" : ",").append("{\"user_id\":\"df-").append(b).append('-').append(e)
                    .append("\",\"item_id\":\"i").append(e % 400).append("\",\"type\":\"click\"}");
        }
        return body.append("]}").toString();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}

package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real server with SIGKILL while clients stream event batches, restarts it on the same
 * data directory and checks that every acknowledged event was applied exactly once: each
 * client's user has at least the events acknowledged to it and at most those plus the one batch
 * that was in flight when the process died (written but not yet answered). Every durability mode
 * promises this for a killed process (the page cache survives it); they differ only on power loss.
 * Checkpoints are written every 300 ms with small log segments, so recovery goes through a
 * checkpoint, the log after it, and segment deletion.
 */
class CrashRecoveryIT {
    private static final int CLIENTS = 3;
    private static final int BATCH = 5;

    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"FSYNC", "INTERVAL", "NONE"})
    void everyAcknowledgedEventSurvivesAKill(String durability) throws Exception {
        Path dataDir = root.resolve(durability.toLowerCase());
        // checkpoints every 300 ms: the kill lands between, or during, checkpoint writes, and recovery
        // uses the newest complete checkpoint plus the log after it
        String[] args = {"--users", "300", "--items", "600", "--factors", "16", "--iterations", "4", "--durability", durability,
                "--checkpoint-interval", "PT0.3S", "--segment-bytes", "65536",
                "--content-encoder", "hashing", "--ranker-queries", "300", "--ranker-epochs", "1", "--ranker-hidden", "32,16"};
        ServerProcess server = ServerProcess.start(dataDir, args);
        int[] acknowledged = new int[CLIENTS];
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(client);
                while (!stop.get()) {
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int e = 0; e < BATCH; e++) {
                        body.append(e == 0 ? "" : ",").append("{\"user_id\":\"crash-").append(client)
                                .append("\",\"item_id\":\"i").append(random.nextInt(600)).append("\",\"type\":\"")
                                .append(random.nextBoolean() ? "click" : "view").append("\"}");
                    }
                    body.append("]}");
                    try {
                        HttpResponse<String> response = server.postJson("/v1/events", body.toString());
                        if (response.statusCode() == 202) {
                            acknowledged[client] += BATCH;
                        }
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            }));
        }
        Thread.sleep(1_500);
        server.kill();
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        for (int c = 0; c < CLIENTS; c++) {
            assertTrue(acknowledged[c] > 0, "client " + c + " got acknowledgements before the kill");
        }

        ServerProcess restarted = ServerProcess.start(dataDir, args);
        try {
            assertTrue(restarted.log().contains("replayed"), restarted.log());
            assertTrue(restarted.log().contains("recovery: checkpoint checkpoint-"), "a checkpoint was used: " + restarted.log());
            for (int c = 0; c < CLIENTS; c++) {
                JsonNode user = restarted.getJson("/v1/users/crash-" + c);
                long applied = user.get("interactions").asLong();
                assertTrue(applied >= acknowledged[c] && applied <= acknowledged[c] + BATCH,
                        durability + ": user crash-" + c + " has " + applied + " events after restart; "
                                + acknowledged[c] + " were acknowledged (plus at most one in-flight batch of " + BATCH + ")");
            }
            // the restarted server keeps logging: one more acknowledged batch is there after a second kill
            HttpResponse<String> more = restarted.postJson("/v1/events",
                    "{\"events\":[{\"user_id\":\"after-restart\",\"item_id\":\"i1\",\"type\":\"like\"}]}");
            assertEquals(202, more.statusCode(), more.body());
            restarted.kill();
            ServerProcess third = ServerProcess.start(dataDir, args);
            try {
                assertEquals(1, third.getJson("/v1/users/after-restart").get("interactions").asLong());
            } finally {
                third.close();
            }
        } finally {
            restarted.close();
        }
    }
}

package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModelFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranker over HTTP against the real server process: it trains a ranker at start-up, feeds
 * say which model ranked them with per-head probabilities, a request can re-weight the heads,
 * and an operator swaps model versions while clients read feeds without a single failure.
 */
class RankerEndToEndIT {
    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dataDir, "--users", "300", "--items", "600", "--topics", "8", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker-queries", "600", "--ranker-epochs", "2",
                "--ranker-hidden", "64,32");
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void feedsAreRankedByTheTrainedModelWithHeadProbabilities() throws Exception {
        JsonNode feed = server.getJson("/v1/feed?user_id=u3&limit=15");
        String version = feed.get("ranker_version").asText();
        // Trained at start-up (ranker-<time>), or a version another test swapped in.
        assertTrue(version.startsWith("ranker-") || version.startsWith("hot-swap-"), version);
        assertEquals(15, feed.get("items").size());
        for (JsonNode item : feed.get("items")) {
            JsonNode heads = item.get("heads");
            for (String head : new String[] {"click", "like", "long_dwell", "negative"}) {
                double p = heads.get(head).asDouble();
                assertTrue(p >= 0 && p <= 1, head + " = " + p);
            }
        }
        assertTrue(feed.get("timing_us").has("features"));
        assertTrue(feed.get("timing_us").has("rank"));
        JsonNode admin = server.getJson("/v1/admin/ranker");
        assertEquals(version, admin.get("version").asText());
        assertTrue(admin.get("feature_width").asInt() > 0);
        String metrics = server.get("/metrics").body();
        assertTrue(metrics.contains("ranker_version=\"" + version + "\""), "ranker version in /metrics");
    }

    @Test
    void aRequestCanReweightTheHeadsAndBadWeightsAreRefused() throws Exception {
        JsonNode normal = server.getJson("/v1/feed?user_id=u5&limit=20");
        JsonNode negative = server.getJson("/v1/feed?user_id=u5&limit=20&weights=click:0,like:0,long_dwell:0,negative:1");
        assertNotEquals(ids(normal), ids(negative), "weighting only the negative head reorders the feed");
        for (String bad : new String[] {"clicks:1", "click", "click:abc", "click:1e9"}) {
            HttpResponse<String> response = server.get("/v1/feed?user_id=u5&weights=" + bad);
            assertEquals(400, response.statusCode(), bad + ": " + response.body());
            assertEquals("invalid_weights", ServerProcess.JSON.readTree(response.body()).get("error").get("code").asText());
        }
    }

    @Test
    void modelVersionsSwapUnderConcurrentRequestsWithoutAFailure() throws Exception {
        Path cached;
        try (Stream<Path> files = Files.list(dataDir.resolve("ranker"))) {
            cached = files.filter(p -> p.toString().endsWith(".fsrank")).findFirst().orElseThrow();
        }
        RankerModelFile.Loaded loaded = RankerModelFile.read(cached);
        Path v2 = dataDir.resolve("v2.fsrank");
        Path v3 = dataDir.resolve("v3.fsrank");
        RankerModelFile.write(loaded.model().withVersion("hot-swap-v2", ObjectiveWeights.DEFAULT), Map.of(), v2);
        RankerModelFile.write(loaded.model().withVersion("hot-swap-v3", ObjectiveWeights.DEFAULT), Map.of(), v3);
        List<String> known = List.of(loaded.model().version(), "hot-swap-v2", "hot-swap-v3");
        long swapsBefore = server.getJson("/v1/admin/ranker").get("swaps").asLong();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger feeds = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                int u = client;
                while (!stop.get()) {
                    try {
                        HttpResponse<String> response = server.get("/v1/feed?user_id=u" + (u++ % 300) + "&limit=10");
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                            continue;
                        }
                        String version = ServerProcess.JSON.readTree(response.body()).get("ranker_version").asText();
                        if (!known.contains(version)) {
                            failures.add("unknown version " + version);
                        }
                        feeds.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        int swaps = 10;
        for (int i = 0; i < swaps; i++) {
            Path file = i % 2 == 0 ? v2 : v3;
            HttpResponse<String> response = server.postJson("/v1/admin/ranker", "{\"path\": \"" + file.toAbsolutePath() + "\"}");
            assertEquals(200, response.statusCode(), response.body());
            Thread.sleep(100);
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join(30_000);
        }
        assertTrue(failures.isEmpty(), () -> "failures during swaps: " + failures);
        assertTrue(feeds.get() > 0);
        assertEquals("hot-swap-v3", server.getJson("/v1/feed?user_id=u1&limit=5").get("ranker_version").asText());
        assertEquals(swapsBefore + swaps, server.getJson("/v1/admin/ranker").get("swaps").asLong());
        assertTrue(server.get("/metrics").body().contains("ranker_version=\"hot-swap-v3\""));
    }

    @Test
    void badModelLoadsAreRefusedAndTheServingModelStays() throws Exception {
        String before = server.getJson("/v1/admin/ranker").get("version").asText();
        Path garbage = dataDir.resolve("garbage.fsrank");
        Files.writeString(garbage, "this is not a model");
        Object[][] cases = {
            {"{}", 400, "invalid_body"},
            {"{\"path\": 7}", 400, "invalid_body"},
            {"{\"path\": \"" + dataDir.resolve("missing.fsrank").toAbsolutePath() + "\"}", 404, "model_not_found"},
            {"{\"path\": \"" + garbage.toAbsolutePath() + "\"}", 422, "invalid_model"},
        };
        for (Object[] c : cases) {
            HttpResponse<String> response = server.postJson("/v1/admin/ranker", (String) c[0]);
            assertEquals(c[1], response.statusCode(), c[0] + " -> " + response.body());
            assertEquals(c[2], ServerProcess.JSON.readTree(response.body()).get("error").get("code").asText());
        }
        assertEquals(before, server.getJson("/v1/admin/ranker").get("version").asText());
        assertEquals(200, server.get("/v1/feed?user_id=u2").statusCode());
    }

    private static List<String> ids(JsonNode feed) {
        List<String> out = new ArrayList<>();
        feed.get("items").forEach(item -> out.add(item.get("item_id").asText()));
        return out;
    }
}

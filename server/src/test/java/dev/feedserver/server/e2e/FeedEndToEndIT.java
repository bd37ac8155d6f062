package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.data.SyntheticWorld;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server process, over HTTP: feeds, learning from clicks, items, users, ops routes. */
class FeedEndToEndIT {
    private static final int TOPICS = 12;
    private static final int ITEMS = 1_200;

    @TempDir
    static Path dataDir;
    private static ServerProcess server;
    private static final Map<String, String> topicOfItem = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dataDir, "--users", "600", "--items", Integer.toString(ITEMS),
                "--topics", Integer.toString(TOPICS), "--factors", "32", "--iterations", "8",
                // the IVF index (the default only above 50,000 items) so the HTTP path exercises it
                "--interest-index", "IVF",
                // the real MiniLM content encoder and a ranker trained at start-up, kept small
                "--ranker-queries", "800", "--ranker-epochs", "2");
    }

    @AfterAll
    static void stop() throws Exception {
        int code = server.stop();
        // The JVM reports SIGTERM as 128 + 15 even after its shutdown hooks ran to completion.
        assertEquals(143, code, "exit after SIGTERM");
        assertTrue(server.log().contains("stopped"), "shutdown drained and logged");
    }

    @Test
    void clicksOnOneTopicRaiseItInTheNextFeed() throws Exception {
        // 12 clicks move the vector about 72% of the way (drift 0.10 each); with 8 the topic's
        // rise in the top 50 sat right at the threshold and varied with cluster sampling.
        final int clicks = 12;
        String user = "u7";
        JsonNode before = server.getJson("/v1/feed?user_id=" + user + "&limit=50");
        assertFalse(before.get("cold_start").asBoolean());
        Map<String, Integer> counts = topicCounts(before);
        int target = 0;
        for (int t = 0; t < TOPICS; t++) {
            if (counts.getOrDefault(SyntheticWorld.topicName(t), 0) < counts.getOrDefault(SyntheticWorld.topicName(target), 0)) {
                target = t;
            }
        }
        String topic = SyntheticWorld.topicName(target);
        StringBuilder events = new StringBuilder("{\"events\":[");
        int clicked = 0;
        for (int i = target; i < ITEMS && clicked < clicks; i += TOPICS) {
            String item = "i" + i;
            assertEquals(topic, topicOf(item), "synthetic item " + item + " carries its topic tag");
            events.append(clicked == 0 ? "" : ",").append("{\"user_id\":\"").append(user).append("\",\"item_id\":\"")
                    .append(item).append("\",\"type\":\"click\"}");
            clicked++;
        }
        events.append("]}");
        HttpResponse<String> posted = server.postJson("/v1/events", events.toString());
        assertEquals(202, posted.statusCode(), posted.body());
        assertEquals(clicks, ServerProcess.JSON.readTree(posted.body()).get("accepted").asInt());

        JsonNode after = server.getJson("/v1/feed?user_id=" + user + "&limit=50");
        int countBefore = counts.getOrDefault(topic, 0);
        int countAfter = topicCounts(after).getOrDefault(topic, 0);
        assertTrue(countAfter >= countBefore + 10, "topic '" + topic + "' in top 50: before " + countBefore + ", after " + countAfter);

        JsonNode profile = server.getJson("/v1/users/" + user);
        assertTrue(profile.get("interactions").asLong() >= clicks);
        assertTrue(profile.get("vector_norm").asDouble() > 0);
    }

    @Test
    void feedResponseHasTheDocumentedShape() throws Exception {
        JsonNode feed = server.getJson("/v1/feed?user_id=u3&limit=7");
        assertEquals("u3", feed.get("user_id").asText());
        assertTrue(feed.get("request_id").asText().length() > 0);
        assertEquals(7, feed.get("items").size());
        for (JsonNode item : feed.get("items")) {
            assertTrue(item.get("item_id").isTextual());
            assertTrue(item.get("score").isNumber());
            assertTrue(item.get("source").asText().matches("(interest|popular|trending|fresh|cluster)(\\+(popular|trending|fresh|cluster))*"),
                    item.get("source").asText());
            assertTrue(item.get("title").asText().length() > 0);
            assertTrue(item.get("tags").isArray() && item.get("tags").size() > 0, "every synthetic item has its topic tag");
        }
        assertTrue(feed.get("candidates").asInt() >= 7);
        for (String stage : new String[] {"user", "retrieve_interest", "retrieve_cluster", "retrieve_popular", "retrieve_trending", "retrieve_fresh",
                "features", "rank", "select", "encode"}) {
            assertTrue(feed.get("timing_us").has(stage), stage);
        }
    }

    @Test
    void webClientIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = server.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"app.js\">"), "the page loads its script");
        HttpResponse<String> script = server.get("/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(script.body().contains("/v1/feed"));
        assertEquals(200, server.get("/app.css").statusCode());
        assertEquals(404, server.get("/secret.txt").statusCode(), "only the client's own files are served");
        assertEquals(404, server.get("/web/app.js").statusCode());
    }

    @Test
    void unknownUserGetsAColdStartFeed() throws Exception {
        JsonNode feed = server.getJson("/v1/feed?user_id=someone-new&limit=5");
        assertTrue(feed.get("cold_start").asBoolean());
        assertEquals(5, feed.get("items").size());
        assertEquals(404, server.get("/v1/users/someone-new").statusCode());
    }

    @Test
    void putItemIsRetrievableAtOnce() throws Exception {
        String body = "{\"title\":\"A fresh gardening story\",\"tags\":[\"gardening\"],\"created_at\":\"2026-01-02T00:00:00Z\"}";
        HttpResponse<String> created = server.send("PUT", "/v1/items/fresh-1", "application/json", body.getBytes());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode item = server.getJson("/v1/items/fresh-1");
        assertEquals("A fresh gardening story", item.get("title").asText());
        assertEquals("gardening", item.get("tags").get(0).asText());
        HttpResponse<String> replaced = server.send("PUT", "/v1/items/fresh-1", "application/json",
                "{\"title\":\"Renamed\",\"tags\":[\"gardening\"]}".getBytes());
        assertEquals(200, replaced.statusCode());
        assertEquals("Renamed", server.getJson("/v1/items/fresh-1").get("title").asText());
        HttpResponse<String> clicked = server.postJson("/v1/events",
                "{\"events\":[{\"user_id\":\"u1\",\"item_id\":\"fresh-1\",\"type\":\"like\"}]}");
        assertEquals(202, clicked.statusCode(), clicked.body());
    }

    @Test
    void deletedItemsLeaveEveryFeedAndCanComeBack() throws Exception {
        JsonNode before = server.getJson("/v1/feed?user_id=u3&limit=20");
        String top = before.get("items").get(0).get("item_id").asText();
        HttpResponse<String> deleted = server.send("DELETE", "/v1/items/" + top, "application/json", new byte[0]);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(deleted.body().contains("\"removed\":true"), deleted.body());
        assertEquals(404, server.get("/v1/items/" + top).statusCode());
        assertEquals(404, server.send("DELETE", "/v1/items/" + top, "application/json", new byte[0]).statusCode());
        for (String user : new String[] {"u3", "u4", "someone-else"}) {
            JsonNode feed = server.getJson("/v1/feed?user_id=" + user + "&limit=200");
            for (JsonNode item : feed.get("items")) {
                assertTrue(!top.equals(item.get("item_id").asText()), "deleted item " + top + " in the feed of " + user);
            }
        }
        HttpResponse<String> events = server.postJson("/v1/events",
                "{\"events\":[{\"user_id\":\"u3\",\"item_id\":\"" + top + "\",\"type\":\"click\"}]}");
        assertEquals(400, events.statusCode(), "events about a deleted item are refused: " + events.body());
        assertTrue(events.body().contains("unknown item"), events.body());
        HttpResponse<String> back = server.send("PUT", "/v1/items/" + top, "application/json",
                "{\"title\":\"Back again\",\"tags\":[\"gardening\"]}".getBytes());
        assertEquals(201, back.statusCode(), back.body());
        assertEquals("Back again", server.getJson("/v1/items/" + top).get("title").asText());
    }

    @Test
    void aFeedRequestAfterTheEventsResponseReflectsTheEvents() throws Exception {
        // read-your-writes: no wait between the 202 and the next GET
        String user = "ryw-user";
        JsonNode before = server.getJson("/v1/feed?user_id=u9&limit=5");
        String first = before.get("items").get(0).get("item_id").asText();
        String second = before.get("items").get(1).get("item_id").asText();
        long interactions = server.getJson("/v1/users/u9").get("interactions").asLong();
        HttpResponse<String> posted = server.postJson("/v1/events",
                "{\"events\":[{\"user_id\":\"u9\",\"item_id\":\"" + first + "\",\"type\":\"view\"},"
                        + "{\"user_id\":\"u9\",\"item_id\":\"" + second + "\",\"type\":\"like\"},"
                        + "{\"user_id\":\"" + user + "\",\"item_id\":\"" + second + "\",\"type\":\"like\"}]}");
        assertEquals(202, posted.statusCode(), posted.body());
        JsonNode after = server.getJson("/v1/feed?user_id=u9&limit=200");
        for (JsonNode item : after.get("items")) {
            String id = item.get("item_id").asText();
            assertTrue(!id.equals(first) && !id.equals(second), "consumed item " + id + " is back in the very next feed");
        }
        assertEquals(interactions + 2, server.getJson("/v1/users/u9").get("interactions").asLong());
        JsonNode newUser = server.getJson("/v1/feed?user_id=" + user + "&limit=10");
        assertFalse(newUser.get("cold_start").asBoolean(), "a user's first like makes their next feed personal");
        assertEquals(1, server.getJson("/v1/users/" + user).get("interactions").asLong());
    }

    @Test
    void opsRoutesAnswer() throws Exception {
        assertEquals(200, server.get("/healthz").statusCode());
        assertEquals("ready", server.getJson("/readyz").get("status").asText());
        server.getJson("/v1/feed?user_id=u2");
        HttpResponse<String> metrics = server.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = metrics.body();
        assertTrue(text.contains("feedserver_requests_total{route=\"feed\",status=\"200\"}"), text);
        assertTrue(text.contains("feedserver_feed_stage_duration_seconds_bucket{stage=\"rank\",le=\"+Inf\"}"), text);
        assertTrue(text.contains("native_isa=\""), text);
        assertTrue(text.contains("feedserver_event_log_durable_sequence "), text);
        assertTrue(text.contains("feedserver_event_log_bytes "), text);
        assertTrue(text.contains("feedserver_checkpoints_written "), text);
        assertTrue(text.contains("feedserver_generation_budget_bytes " + (24L << 30) + "\n"), text);
        assertTrue(text.contains("feedserver_generation_model_loads_total{model=\"freetts-kevin16\"} 0\n"), text);
        assertTrue(text.contains("feedserver_generation_model_loads_total{model=\"minilm-l6-int8\"} 0\n"), text);
    }

    private static Map<String, Integer> topicCounts(JsonNode feed) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode item : feed.get("items")) {
            counts.merge(topicOf(item.get("item_id").asText()), 1, Integer::sum);
        }
        return counts;
    }

    private static String topicOf(String itemId) throws Exception {
        String cached = topicOfItem.get(itemId);
        if (cached == null) {
            cached = server.getJson("/v1/items/" + itemId).get("tags").get(0).asText();
            topicOfItem.put(itemId, cached);
        }
        return cached;
    }
}

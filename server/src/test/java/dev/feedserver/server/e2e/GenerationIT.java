package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation jobs over real HTTP against the real server with the stories260K text model: a
 * brief becomes every stage's output and a catalogue item that shows up in a feed; idempotency;
 * bad input; an acknowledged job survives SIGKILL. Skipped with a message when ../shared is
 * absent (the orchestration and the jobs service have their own tests without it).
 */
class GenerationIT {

    private static final Path STORIES = Path.of("..", "..", "shared", "models", "stories260K", "stories260K.bin");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    private final ApiContract contract = contract();

    private static ApiContract contract() {
        try {
            return ApiContract.of(Files.readString(Path.of(System.getProperty("feedserver.openapi"))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Checks an answer against docs/openapi.yaml. */
    private HttpResponse<String> checked(String method, String path, HttpResponse<String> response) {
        contract.checkResponse(method, path, ObservedResponse.of(response));
        return response;
    }

    private ServerProcess start() throws Exception {
        return start("--supply-jobs-per-hour", "0");
    }

    private ServerProcess start(String... more) throws Exception {
        assumeTrue(Files.isRegularFile(STORIES), "skipped: ../shared/models/stories260K is absent");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--ranker", "none", "--text-model",
                STORIES.toString()));
        args.addAll(java.util.List.of(more));
        return ServerProcess.start(dataDir, args.toArray(String[]::new));
    }

    /** POSTs the brief, retrying while the generation runtime is still starting. */
    private static HttpResponse<String> submit(ServerProcess server, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = server.postJson("/v1/generate", body);
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode awaitFinal(ServerProcess server, String id, boolean published) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        JsonNode job = server.getJson("/v1/generate/" + id);
        while (System.nanoTime() < deadline) {
            job = server.getJson("/v1/generate/" + id);
            String state = job.get("state").asText();
            boolean done = state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
            if (done && (!published || !state.equals("succeeded") || job.has("item_id"))) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish: " + job);
    }

    private static HttpResponse<byte[]> bytes(ServerProcess server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aBriefBecomesEveryOutputAndAnItemInTheFeed() throws Exception {
        try (ServerProcess server = start()) {
            boolean ffmpeg = Files.isExecutable(Path.of("/usr/bin/ffmpeg"));
            String body = "{\"topic\":\"gardening\",\"format\":\"video\",\"tags\":[\"gardening\"],"
                    + "\"required_keywords\":[\"flower\"],\"idempotency_key\":\"it-video-1\"}";
            HttpResponse<String> accepted = checked("POST", "/v1/generate", submit(server, body));
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode job = ServerProcess.JSON.readTree(accepted.body());
            String id = job.get("job_id").asText();
            assertEquals("/v1/generate/" + id, accepted.headers().firstValue("Location").orElse(""));
            assertTrue(!job.get("duplicate").asBoolean());

            HttpResponse<String> again = server.postJson("/v1/generate", body);
            assertEquals(202, again.statusCode(), again.body());
            JsonNode duplicate = ServerProcess.JSON.readTree(again.body());
            assertEquals(id, duplicate.get("job_id").asText(), "the same key answers the same job");
            assertTrue(duplicate.get("duplicate").asBoolean());
            HttpResponse<String> conflict = server.postJson("/v1/generate", body.replace("gardening\",\"format", "ocean\",\"format"));
            assertEquals(409, conflict.statusCode(), conflict.body());
            assertTrue(conflict.body().contains("idempotency_key_reused"), conflict.body());

            JsonNode done = awaitFinal(server, id, true);
            checked("GET", "/v1/generate/" + id, server.get("/v1/generate/" + id));
            checked("POST", "/v1/generate", conflict);
            JsonNode stages = done.get("stages");
            assertEquals(6, stages.size(), done.toString());
            for (JsonNode stage : stages) {
                String stageId = stage.get("id").asText();
                if (stageId.equals("video") && !ffmpeg) {
                    assertEquals("failed", stage.get("state").asText());
                    assertTrue(stage.get("error").asText().contains("ffmpeg"), stage.toString());
                    continue;
                }
                assertEquals("succeeded", stage.get("state").asText(), stage.toString());
                assertTrue(stage.get("busy_seconds").asDouble() >= 0);
            }
            if (!ffmpeg) {
                return; // the job failed on its video stage with the clear error checked above
            }
            assertEquals("succeeded", done.get("state").asText(), done.toString());
            assertEquals(6, done.get("progress").get("stages_succeeded").asInt());
            JsonNode story = stages.get(1);
            assertTrue(story.get("output").get("text").asText().toLowerCase().contains("flower"), story.toString());
            assertTrue(story.get("tokens").get("model_in").asLong() > 0 && story.get("tokens").get("model_out").asLong() > 0);
            assertTrue(story.get("tokens").get("cl100k_out").asLong() > 0);
            assertTrue(done.get("tokens").get("model_out").asLong() > 0);
            assertTrue(done.get("busy_seconds").asDouble() > 0 && done.get("cost_usd").asDouble() > 0, done.toString());

            expectMedia(server, stages.get(3), "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0);
            expectMedia(server, stages.get(4), "audio/wav", "RIFF".getBytes(), 0);
            expectMedia(server, stages.get(5), "video/mp4", "ftyp".getBytes(), 4);
            assertEquals(404, bytes(server, "/v1/generate/" + id + "/outputs/other.png").statusCode());
            assertEquals(404, bytes(server, "/v1/generate/" + id + "/outputs/..%2Fjob.json").statusCode());

            String itemId = done.get("item_id").asText();
            JsonNode item = server.getJson("/v1/items/" + itemId);
            assertEquals(stages.get(2).get("output").get("text").asText(), item.get("title").asText());
            assertTrue(item.get("tags").toString().contains("gardening"));
            boolean inFeed = false;
            for (JsonNode feedItem : server.getJson("/v1/feed?user_id=gen-reader&limit=200").get("items")) {
                inFeed |= feedItem.get("item_id").asText().equals(itemId);
            }
            assertTrue(inFeed, "the generated item is in a new user's feed");
            String metrics = server.get("/metrics").body();
            assertEquals(1.0, ServerProcess.metric(metrics, "feedserver_generation_jobs_succeeded_total"), "metrics count the job");
            assertEquals(1.0, ServerProcess.metric(metrics, "feedserver_generation_items_published_total"));
            assertTrue(ServerProcess.metric(metrics, "feedserver_generation_model_tokens_out_total") > 0);
            assertTrue(ServerProcess.metric(metrics, "feedserver_generation_cost_usd_total") > 0);
            assertEquals(409, checked("DELETE", "/v1/generate/" + id, server.send("DELETE", "/v1/generate/" + id, null,
                    new byte[0])).statusCode(), "a finished job cannot be cancelled");
        }
    }

    private static void expectMedia(ServerProcess server, JsonNode stage, String type, byte[] magic, int offset)
            throws Exception {
        String url = stage.get("output").get("url").asText();
        HttpResponse<byte[]> media = bytes(server, url);
        assertEquals(200, media.statusCode(), url);
        assertEquals(type, media.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(magic, Arrays.copyOfRange(media.body(), offset, offset + magic.length), url);
    }

    @Test
    void engagementMakesTheSupplyPlannerFileJobsWhoseItemsJoinTheCatalogue() throws Exception {
        try (ServerProcess server = start("--supply-jobs-per-hour", "6", "--supply-interval", "PT1S",
                "--supply-format", "story")) {
            // Live engagement (the training history has decayed by now): views everywhere, likes on some.
            for (int batch = 0; batch < 4; batch++) {
                StringBuilder events = new StringBuilder("{\"events\":[");
                for (int i = 0; i < 100; i++) {
                    int item = batch * 100 + i;
                    events.append(i == 0 ? "" : ",").append("{\"user_id\":\"u").append(item % 60)
                            .append("\",\"item_id\":\"i").append(item).append("\",\"type\":\"")
                            .append(item % 3 == 0 ? "like" : "view").append("\"}");
                }
                HttpResponse<String> accepted = server.postJson("/v1/events", events.append("]}").toString());
                assertEquals(202, accepted.statusCode(), accepted.body());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode published = null;
            while (published == null && System.nanoTime() < deadline) {
                HttpResponse<String> list = checked("GET", "/v1/generate?state=succeeded&limit=10",
                        server.get("/v1/generate?state=succeeded&limit=10"));
                for (JsonNode job : ServerProcess.JSON.readTree(list.body()).get("jobs")) {
                    if (job.has("item_id") && job.get("brief").has("cluster_id")) {
                        published = job;
                    }
                }
                Thread.sleep(250);
            }
            assertTrue(published != null, "the supply planner filed a job that finished and was published; log:\n"
                    + server.log());
            assertEquals(-5, published.get("priority").asInt(), "supply jobs yield to people's");
            JsonNode item = server.getJson("/v1/items/" + published.get("item_id").asText());
            assertEquals(published.get("stages").get(2).get("output").get("text").asText(), item.get("title").asText());
            assertTrue(server.metric("feedserver_supply_jobs_filed_total") >= 1, "the filing is counted");
            assertTrue(server.metric("feedserver_supply_rounds_total") >= 1);
        }
    }

    @Test
    void badBriefsAreClearErrors() throws Exception {
        try (ServerProcess server = start()) {
            HttpResponse<String> unknown = checked("POST", "/v1/generate",
                    submit(server, "{\"topic\":\"sea\",\"colour\":\"red\"}"));
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("unknown field"), unknown.body());
            HttpResponse<String> format = server.postJson("/v1/generate", "{\"topic\":\"sea\",\"format\":\"opera\"}");
            assertEquals(400, format.statusCode());
            assertTrue(format.body().contains("format must be one of"), format.body());
            HttpResponse<String> both = server.postJson("/v1/generate",
                    "{\"topic\":\"sea\",\"required_keywords\":[\"kill\"]}");
            assertEquals(400, both.statusCode());
            assertTrue(both.body().contains("both required and banned"), both.body());
            assertEquals(400, server.postJson("/v1/generate", "{\"topic\":\"sea\",\"min_words\":900}").statusCode());
            assertEquals(404, checked("GET", "/v1/generate/no-such-job", server.get("/v1/generate/no-such-job")).statusCode());
            assertEquals(400, server.get("/v1/generate/NOT_AN_ID").statusCode());
            assertEquals(200, server.get("/healthz").statusCode(), "the server keeps serving");
        }
    }

    @Test
    void anAcknowledgedJobSurvivesAKill() throws Exception {
        String id;
        ServerProcess first = start();
        try {
            HttpResponse<String> accepted = submit(first,
                    "{\"topic\":\"snow\",\"format\":\"narrated\",\"idempotency_key\":\"kill-1\"}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            id = ServerProcess.JSON.readTree(accepted.body()).get("job_id").asText();
        } finally {
            first.kill();
        }
        try (ServerProcess second = start()) {
            JsonNode done = awaitFinal(second, id, true);
            assertEquals("succeeded", done.get("state").asText(), done.toString());
            HttpResponse<String> retry = second.postJson("/v1/generate",
                    "{\"topic\":\"snow\",\"format\":\"narrated\",\"idempotency_key\":\"kill-1\"}");
            assertEquals(id, ServerProcess.JSON.readTree(retry.body()).get("job_id").asText(),
                    "a client's retry after the crash finds its job");
        }
    }
}

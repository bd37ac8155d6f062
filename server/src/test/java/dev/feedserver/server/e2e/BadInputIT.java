package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and sloppy input over real HTTP: each case gets its documented status and a JSON
 * error body, nothing is applied, and the server keeps answering afterwards.
 */
class BadInputIT {
    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dataDir, "--users", "200", "--items", "400", "--topics", "8",
                "--factors", "16", "--iterations", "4", "--max-body-bytes", "4096", "--max-batch", "50",
                "--max-users", "240", "--content-encoder", "hashing", "--ranker-queries", "300", "--ranker-epochs", "1",
                "--ranker-hidden", "32,16");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void serverStillServes() throws Exception {
        assertEquals(200, server.get("/healthz").statusCode());
        assertEquals(200, server.get("/v1/feed?user_id=u1&limit=3").statusCode());
    }

    @Test
    void malformedJson() throws Exception {
        assertError(server.postJson("/v1/events", "{\"events\": [ {"), 400, "malformed_json");
    }

    @Test
    void wrongTypesAreReportedPerEventAndNothingIsApplied() throws Exception {
        long before = interactions("u5");
        HttpResponse<String> response = server.postJson("/v1/events", "{\"events\":["
                + "{\"user_id\":\"u5\",\"item_id\":\"i1\",\"type\":\"click\"},"
                + "{\"user_id\":5,\"item_id\":\"i1\",\"type\":\"click\"},"
                + "{\"user_id\":\"u5\",\"item_id\":\"i2\",\"type\":\"dwell\",\"dwell_ms\":\"long\"}]}");
        JsonNode error = assertError(response, 400, "invalid_events");
        JsonNode details = error.get("details");
        assertEquals(2, details.size());
        assertEquals(1, details.get(0).get("index").asInt());
        assertTrue(details.get(0).get("reason").asText().contains("user_id"));
        assertEquals(2, details.get(1).get("index").asInt());
        assertEquals(before, interactions("u5"), "the valid first event must not have been applied");
    }

    @Test
    void unknownEventTypeAndUnknownItem() throws Exception {
        JsonNode error = assertError(server.postJson("/v1/events",
                "{\"events\":[{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"teleport\"},"
                        + "{\"user_id\":\"u1\",\"item_id\":\"no-such-item\",\"type\":\"click\"}]}"), 400, "invalid_events");
        assertTrue(error.get("details").get(0).get("reason").asText().contains("teleport"));
        assertTrue(error.get("details").get(1).get("reason").asText().contains("unknown item"));
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        byte[] big = ("{\"events\":[" + "{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"view\"},".repeat(200) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        assertError(server.send("POST", "/v1/events", "application/json", big), 413, "body_too_large");
    }

    @Test
    void tooManyEventsIs400() throws Exception {
        String events = "{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"view\"},".repeat(51);
        assertError(server.postJson("/v1/events", "{\"events\":[" + events.substring(0, events.length() - 1) + "]}"), 400, "batch_too_large");
    }

    @Test
    void hugeOrBadLimit() throws Exception {
        assertError(server.get("/v1/feed?user_id=u1&limit=100000000000"), 400, "invalid_parameter");
        assertError(server.get("/v1/feed?user_id=u1&limit=0"), 400, "invalid_parameter");
        assertError(server.get("/v1/feed?user_id=u1&limit=ten"), 400, "invalid_parameter");
    }

    @Test
    void missingOrInvalidUserId() throws Exception {
        assertError(server.get("/v1/feed?limit=5"), 400, "missing_parameter");
        assertError(server.get("/v1/feed?user_id=a%20b"), 400, "invalid_parameter");
    }

    @Test
    void nonUtf8Bytes() throws Exception {
        byte[] body = {'{', '"', 'e', 'v', 'e', 'n', 't', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertError(server.send("POST", "/v1/events", "application/json", body), 400, "invalid_utf8");
        assertError(server.get("/v1/feed?user_id=%C3%28"), 400, "invalid_utf8");
    }

    @Test
    void wrongContentTypeMethodAndRoute() throws Exception {
        assertError(server.send("POST", "/v1/events", "text/plain", "{}".getBytes()), 415, "unsupported_media_type");
        assertError(server.send("DELETE", "/v1/feed", null, new byte[0]), 405, "method_not_allowed");
        assertError(server.get("/v2/feed"), 404, "not_found");
        assertError(server.get("/v1/items/nope"), 404, "item_not_found");
    }

    @Test
    void badItemBodies() throws Exception {
        assertError(server.send("PUT", "/v1/items/x1", "application/json", "{\"text\":\"no title\"}".getBytes()), 400, "invalid_body");
        assertError(server.send("PUT", "/v1/items/x1", "application/json", "{\"title\":\"t\",\"created_at\":\"yesterday\"}".getBytes()), 400, "invalid_body");
        assertError(server.send("PUT", "/v1/items/x1", "application/json", "[1,2]".getBytes()), 400, "invalid_body");
        assertEquals(404, server.get("/v1/items/x1").statusCode(), "nothing was created");
    }

    @Test
    void garbageRequestLineAndHugeHeaders() throws Exception {
        String garbage = raw("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(garbage.startsWith("HTTP/1.1 400"), garbage);
        assertTrue(garbage.contains("\"code\":\"bad_request\""), garbage);
        String header = "X-Big: " + "a".repeat(40_000) + "\r\n";
        String big = raw(("GET /healthz HTTP/1.1\r\nHost: x\r\n" + header + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(big.startsWith("HTTP/1.1 431"), big);
    }

    @Test
    void aFullUserStoreRefusesNewUsersWithoutApplyingTheBatch() throws Exception {
        long before = interactions("u9");
        HttpResponse<String> response = null;
        for (int i = 0; i < 200 && (response == null || response.statusCode() == 202); i++) {
            response = server.postJson("/v1/events", "{\"events\":[{\"user_id\":\"u9\",\"item_id\":\"i1\",\"type\":\"click\"},"
                    + "{\"user_id\":\"newcomer-" + i + "\",\"item_id\":\"i2\",\"type\":\"click\"}]}");
            if (response.statusCode() == 202) {
                before++;
            }
        }
        assertError(response, 503, "user_store_full");
        assertEquals(before, interactions("u9"), "the refused batch applied nothing");
        assertTrue(server.get("/metrics").body().contains("feedserver_user_store_full_total 1"));
        assertEquals(202, server.postJson("/v1/events",
                "{\"events\":[{\"user_id\":\"u9\",\"item_id\":\"i1\",\"type\":\"view\"}]}").statusCode(), "known users still learn");
    }

    private static long interactions(String user) throws Exception {
        return server.getJson("/v1/users/" + user).get("interactions").asLong();
    }

    private static String raw(byte[] request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                response.write(buffer, 0, n);
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"), "JSON error body");
        JsonNode error = ServerProcess.JSON.readTree(response.body()).get("error");
        assertEquals(code, error.get("code").asText(), response.body());
        assertTrue(error.get("message").asText().length() > 0);
        return error;
    }
}

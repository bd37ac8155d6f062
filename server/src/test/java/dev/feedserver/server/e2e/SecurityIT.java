package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control and rate limits over real HTTP against the real jar, keys made with
 * {@code feedserver keys create}: every route without a key (401), with a key of the wrong scope
 * (403), with the right one, with a revoked key (401 within the reload interval, no restart);
 * a key's burst then 429 with {@code Retry-After}; an address's burst then 429. The server log
 * never contains a key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    @TempDir
    static Path dataDir;
    private static ServerProcess server;
    private static Path keys;
    private static String reader;
    private static String writer;
    private static String admin;

    /** Every route and method with its scope: [method, path, body, scope]. */
    private static final List<String[]> ROUTES = List.of(
            new String[] {"GET", "/v1/feed?user_id=u1&limit=3", null, "feed:read"},
            new String[] {"GET", "/v1/items/i1", null, "feed:read"},
            new String[] {"GET", "/v1/users/u1", null, "feed:read"},
            new String[] {"PUT", "/v1/items/sec-1", "{\"title\":\"t\",\"tags\":[\"x\"]}", "items:write"},
            new String[] {"DELETE", "/v1/items/sec-1", null, "items:write"},
            new String[] {"POST", "/v1/events", "{\"events\":[{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"view\"}]}", "events:write"},
            new String[] {"POST", "/v1/generate", "{\"topic\":\"sea\"}", "generate"},
            new String[] {"GET", "/v1/generate?limit=5", null, "generate"},
            new String[] {"GET", "/v1/generate/some-job", null, "generate"},
            new String[] {"DELETE", "/v1/generate/some-job", null, "generate"},
            new String[] {"GET", "/v1/generate/some-job/outputs/cover.png", null, "generate"},
            new String[] {"GET", "/v1/admin/ranker", null, "admin"},
            new String[] {"POST", "/v1/admin/ranker", "{\"path\":\"/nonexistent.fsrank\"}", "admin"});

    @BeforeAll
    static void start() throws Exception {
        keys = dataDir.resolve("keys.tsv");
        reader = createKey("feed:read", "reader");
        writer = createKey("events:write,items:write,generate", "writer");
        admin = createKey("admin", "ops");
        server = ServerProcess.start(dataDir.resolve("server"), "--users", "200", "--items", "400", "--topics", "8",
                "--factors", "16", "--iterations", "4", "--content-encoder", "hashing", "--ranker", "none",
                "--keys-file", keys.toString(), "--keys-reload-interval", "PT0.2S",
                "--rate-per-key", "5", "--burst-per-key", "30", "--rate-limit-loopback", "--rate-per-ip", "1", "--burst-per-ip", "40");
    }

    private static String createKey(String scopes, String name) throws Exception {
        String out = ServerProcess.cli("keys", "create", "--keys-file", keys.toString(), "--scopes", scopes, "--name", name).strip();
        assertTrue(out.matches("fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), out);
        assertFalse(Files.readString(keys).contains(out.substring(17)), "the keys file holds no secret");
        return out;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            String log = server.log();
            server.close();
            for (String key : List.of(reader, writer, admin)) {
                assertFalse(log.contains(key.substring(17)), "the server log never contains a key");
            }
        }
    }

    @Test
    @Order(1)
    void everyRouteWithoutAKeyIs401WithAChallenge() throws Exception {
        for (String[] r : ROUTES) {
            HttpResponse<String> response = server.call(r[0], r[1], null, r[2]);
            JsonNode error = error(response, 401, r[0] + " " + r[1]);
            assertEquals("missing_key", error.get("code").asText());
            assertEquals("Bearer realm=\"feedserver\", scope=\"" + r[3] + "\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        assertEquals(200, server.get("/healthz").statusCode());
        assertEquals(200, server.get("/metrics").statusCode());
    }

    @Test
    @Order(2)
    void everyRouteWithAWrongScopeKeyIs403AndWithTheRightOneIsServed() throws Exception {
        for (String[] r : ROUTES) {
            String right = switch (r[3]) {
                case "feed:read" -> reader;
                case "admin" -> admin;
                default -> writer;
            };
            String wrong = right.equals(reader) ? writer : reader;
            HttpResponse<String> denied = server.call(r[0], r[1], wrong, r[2]);
            assertEquals("insufficient_scope", error(denied, 403, r[0] + " " + r[1]).get("code").asText());
            assertTrue(denied.headers().firstValue("WWW-Authenticate").orElse("").contains("scope=\"" + r[3] + "\""));
            int status = server.call(r[0], r[1], right, r[2]).statusCode();
            assertTrue(status != 401 && status != 403 && status != 429, r[0] + " " + r[1] + " with the right key -> " + status);
        }
    }

    @Test
    @Order(3)
    void aRevokedKeyIsRefusedWithoutARestart() throws Exception {
        String temporary = createKey("feed:read", "temporary");
        awaitStatus(temporary, 200);
        String id = temporary.substring(4, 16);
        assertTrue(ServerProcess.cli("keys", "list", "--keys-file", keys.toString()).contains(id));
        ServerProcess.cli("keys", "revoke", "--keys-file", keys.toString(), "--id", id);
        HttpResponse<String> refused = awaitStatus(temporary, 401);
        assertEquals("invalid_key", error(refused, 401, "revoked").get("code").asText());
        assertEquals("Bearer realm=\"feedserver\", error=\"invalid_token\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(200, server.call("GET", "/v1/feed?user_id=u1&limit=3", reader, null).statusCode(), "other keys unaffected");
    }

    @Test
    @Order(4)
    void aKeyPastItsBurstGets429WithRetryAfter() throws Exception {
        String busy = createKey("feed:read", "busy");
        awaitStatus(busy, 200);
        HttpResponse<String> last = null;
        int served = 1;
        for (int i = 0; i < 60; i++) {
            last = server.call("GET", "/v1/items/i1", busy, null);
            if (last.statusCode() != 200) {
                break;
            }
            served++;
        }
        assertEquals("rate_limited", error(last, 429, "busy key").get("code").asText());
        assertTrue(served >= 25 && served <= 40, "about the burst of 30 served first, got " + served);
        assertTrue(Integer.parseInt(last.headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertEquals(200, server.call("GET", "/v1/items/i1", reader, null).statusCode(), "another key has its own bucket");
    }

    @Test
    @Order(5)
    void anAddressPastItsBurstGets429ButHealthStillAnswers() throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 80; i++) {
            last = server.call("GET", "/v1/feed?user_id=u1", null, null);
            if (last.statusCode() == 429) {
                break;
            }
        }
        assertEquals("rate_limited", error(last, 429, "anonymous flood").get("code").asText());
        assertTrue(last.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, server.get("/healthz").statusCode());
        assertTrue(server.metric("feedserver_rate_limited_total") > 0, "the refusals are counted");
    }

    private static HttpResponse<String> awaitStatus(String key, int status) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> response;
        do {
            response = server.call("GET", "/v1/items/i1", key, null);
            if (response.statusCode() == status) {
                return response;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + status + " within 10 s, still " + response.statusCode() + " " + response.body());
    }

    private static JsonNode error(HttpResponse<String> response, int status, String what) throws Exception {
        assertEquals(status, response.statusCode(), what + ": " + response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"), what);
        return ServerProcess.JSON.readTree(response.body()).get("error");
    }
}

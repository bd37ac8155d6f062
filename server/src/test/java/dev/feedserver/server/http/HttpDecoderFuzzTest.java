package dev.feedserver.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.fuzz.FuzzStats;
import dev.feedserver.server.fuzz.Mutator;
import dev.feedserver.server.metrics.Metrics;
import dev.feedserver.server.security.AccessPolicy;
import dev.feedserver.server.security.Admission;
import dev.feedserver.server.security.AuthConfig;
import dev.feedserver.server.security.KeyRing;
import dev.feedserver.server.security.RateLimitConfig;
import dev.feedserver.server.security.Scope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import dev.feedserver.server.fuzz.FuzzLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the HTTP request pipeline as the server builds it (read-timeout guard, codec with the
 * server's limits, JSON-aware aggregator, router with the real access gate, handlers that parse
 * the body as JSON) on an {@link EmbeddedChannel}, feeding mutated requests from
 * {@code fuzz/http} in random-sized pieces. Properties: nothing throws out of the pipeline, every
 * response is a JSON body with a status the API documents, and no handler fails with 500.
 * Bounded in an ordinary build ({@link FuzzLoop}); see docs/operations.md for longer runs.
 */
class HttpDecoderFuzzTest {
    private static final Set<Integer> DOCUMENTED = Set.of(200, 202, 400, 401, 403, 404, 405, 408, 413, 414, 415, 417, 429, 431);
    private static final Mutator MUTATOR = Mutator.ofCorpus("http", 16_384);
    private static final FuzzStats STATS = new FuzzStats("HttpDecoderFuzzTest");
    private static final Metrics METRICS = new Metrics();
    private static final RequestGate GATE = new Admission(new AccessPolicy(new AuthConfig(java.nio.file.Path.of("keys"),
            Set.of(Scope.FEED_READ, Scope.EVENTS_WRITE, Scope.ITEMS_WRITE), false, false, Duration.ofSeconds(1)), () -> KeyRing.EMPTY),
            new RateLimitConfig(1e6, 1_000_000, 1e6, 1_000_000, true, 16));

    @Test
    void anyBytesGetADocumentedJsonAnswerOrNone() {
        assertTrue(FuzzLoop.run("HttpDecoderFuzzTest", MUTATOR, STATS, HttpDecoderFuzzTest::feed) > 0);
    }

    private static void feed(byte[] input) {
        EmbeddedChannel ch = channel();
        try {
            int at = 0;
            int piece = 1 + Math.floorMod(java.util.Arrays.hashCode(input), 97);
            while (at < input.length && ch.isOpen()) {
                int n = Math.min(piece, input.length - at);
                ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
            }
            ch.checkException();
            java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
            Object out;
            while ((out = ch.readOutbound()) != null) {
                try {
                    ByteBuf buf = (ByteBuf) out;
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    written.writeBytes(bytes);
                } finally {
                    ReferenceCountUtil.release(out);
                }
            }
            checkResponses(written.toString(StandardCharsets.UTF_8), input);
        } catch (Throwable t) {
            fail("pipeline failed on input " + printable(input) + ": " + t, t);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @AfterAll
    static void report() {
        STATS.finish(MUTATOR.seeds().size());
    }

    /** Splits what the server wrote into responses and checks each: status, JSON body, headers. */
    private static void checkResponses(String written, byte[] input) throws Exception {
        int at = 0;
        while (at < written.length()) {
            int headEnd = written.indexOf("\r\n\r\n", at);
            assertTrue(headEnd > 0, "a complete response head: " + written.substring(at));
            String[] head = written.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(head[0].substring(9, 12));
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            at = headEnd + 4;
            if (status == 100) {
                continue; // Expect: 100-continue, answered by the aggregator
            }
            assertTrue(DOCUMENTED.contains(status), "undocumented status " + status + " for " + printable(input) + ": " + written);
            int length = Integer.parseInt(headers.get("content-length"));
            String body = written.substring(at, at + length);
            at += length;
            assertTrue(headers.get("content-type").startsWith("application/json"), written);
            JsonNode json = Json.MAPPER.readTree(body);
            if (status >= 400) {
                assertTrue(json.get("error").get("code").isTextual(), body);
                String message = json.get("error").get("message").asText();
                for (char c : message.toCharArray()) {
                    assertTrue(c >= 0x20 && c < 0x7f, "error messages are printable ASCII: " + message);
                }
            }
            assertEquals("nosniff", headers.get("x-content-type-options"), written);
        }
    }

    private static EmbeddedChannel channel() {
        Map<Route, Map<HttpMethod, Handler>> routes = new EnumMap<>(Route.class);
        Handler parseBody = r -> {
            Json.parseBody(r.body());
            return ApiResponse.json(HttpResponseStatus.ACCEPTED, "{}".getBytes(StandardCharsets.UTF_8));
        };
        Handler ok = r -> {
            r.queryParam("user_id");
            r.queryParam("limit");
            return ApiResponse.json(HttpResponseStatus.OK, "{}".getBytes(StandardCharsets.UTF_8));
        };
        routes.put(Route.FEED, Map.of(HttpMethod.GET, ok));
        routes.put(Route.EVENTS, Map.of(HttpMethod.POST, parseBody));
        routes.put(Route.ITEM, Map.of(HttpMethod.GET, ok, HttpMethod.PUT, parseBody, HttpMethod.DELETE, ok));
        routes.put(Route.USER, Map.of(HttpMethod.GET, ok));
        routes.put(Route.ADMIN_RANKER, Map.of(HttpMethod.GET, ok, HttpMethod.POST, parseBody));
        routes.put(Route.HEALTHZ, Map.of(HttpMethod.GET, ok));
        routes.put(Route.READYZ, Map.of(HttpMethod.GET, ok));
        routes.put(Route.METRICS, Map.of(HttpMethod.GET, ok));
        RequestExecutor inline = task -> {
            task.run();
            return true;
        };
        RequestReadTimeout timeout = new RequestReadTimeout(10_000, new AtomicLong());
        return new EmbeddedChannel(timeout.start(), new HttpServerCodec(8_192, 16_384, 8_192), new JsonAwareAggregator(4_096),
                timeout.done(), new RequestRouter(routes, inline, GATE, METRICS));
    }

    private static String printable(byte[] input) {
        return Json.printable(new String(input, StandardCharsets.ISO_8859_1), 300);
    }
}

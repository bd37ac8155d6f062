package dev.feedserver.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.metrics.Metrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The router and aggregator on an {@link EmbeddedChannel}: every error path answers JSON. */
class RequestRouterTest {
    private final AtomicBoolean saturated = new AtomicBoolean();
    private final Metrics metrics = new Metrics();
    private long queueDelayMillis;
    private long maxQueueWaitNanos = Long.MAX_VALUE;

    private EmbeddedChannel channel() {
        Map<Route, Map<HttpMethod, Handler>> routes = new EnumMap<>(Route.class);
        routes.put(Route.HEALTHZ, Map.of(HttpMethod.GET, r -> ApiResponse.json(HttpResponseStatus.OK, "{}".getBytes(StandardCharsets.UTF_8))));
        routes.put(Route.EVENTS, Map.of(HttpMethod.POST, r -> ApiResponse.json(HttpResponseStatus.ACCEPTED, r.body())));
        routes.put(Route.ITEM, Map.of(HttpMethod.GET, r -> {
            throw ApiException.notFound("item_not_found", "no item '" + r.pathParam() + "'");
        }));
        routes.put(Route.FEED, Map.of(HttpMethod.GET, r -> {
            throw new IllegalStateException("boom");
        }));
        RequestExecutor inline = new RequestExecutor() {
            @Override
            public boolean trySubmit(Runnable task) {
                if (saturated.get()) {
                    return false;
                }
                if (queueDelayMillis > 0) {
                    sleep(queueDelayMillis); // the task "waits in the queue" before it starts
                }
                task.run();
                return true;
            }

            @Override
            public long maxQueueWaitNanos() {
                return maxQueueWaitNanos;
            }
        };
        return new EmbeddedChannel(new JsonAwareAggregator(64), new RequestRouter(routes, inline, metrics));
    }

    @Test
    void unknownRouteIs404Json() {
        JsonNode error = errorOf(send(get("/nope")), HttpResponseStatus.NOT_FOUND);
        assertEquals("not_found", error.get("code").asText());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        FullHttpResponse response = send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.DELETE, "/v1/events"));
        errorOf(response, HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertEquals("POST", response.headers().get("Allow"));
    }

    @Test
    void postWithoutJsonContentTypeIs415() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/events",
                Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        assertEquals("unsupported_media_type", errorOf(send(request), HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE).get("code").asText());
    }

    @Test
    void pathParameterReachesTheHandler() {
        JsonNode error = errorOf(send(get("/v1/items/abc")), HttpResponseStatus.NOT_FOUND);
        assertEquals("no item 'abc'", error.get("message").asText());
    }

    @Test
    void handlerCrashIs500WithoutDetails() {
        JsonNode error = errorOf(send(get("/v1/feed?user_id=a")), HttpResponseStatus.INTERNAL_SERVER_ERROR);
        assertEquals("internal", error.get("code").asText());
        assertTrue(!error.get("message").asText().contains("boom"));
    }

    @Test
    void saturatedPoolIs503WithRetryAfter() {
        saturated.set(true);
        FullHttpResponse response = send(get("/v1/feed?user_id=a"));
        assertEquals("overloaded", errorOf(response, HttpResponseStatus.SERVICE_UNAVAILABLE).get("code").asText());
        assertEquals("1", response.headers().get("Retry-After"));
    }

    @Test
    void workThatWaitedPastTheBoundIs503Unrun() {
        queueDelayMillis = 20;
        maxQueueWaitNanos = 5_000_000;
        FullHttpResponse response = send(postJson("/v1/events", "{\"events\":[]}"));
        assertEquals("overloaded", errorOf(response, HttpResponseStatus.SERVICE_UNAVAILABLE).get("code").asText());
        assertEquals("1", response.headers().get("Retry-After"));
        assertTrue(metrics.rejectedQueueWaitTotal() == 1, "counted as a queue-wait rejection");
    }

    @Test
    void workWithinTheBoundRuns() {
        queueDelayMillis = 5;
        maxQueueWaitNanos = 5_000_000_000L;
        assertEquals(HttpResponseStatus.ACCEPTED, send(postJson("/v1/events", "{\"events\":[]}")).status());
    }

    @Test
    void inlineRoutesIgnoreASaturatedPool() {
        saturated.set(true);
        assertEquals(HttpResponseStatus.OK, send(get("/healthz")).status());
    }

    @Test
    void badPercentEncodingIs400() {
        assertEquals("invalid_uri", errorOf(send(get("/v1/feed?user_id=%zz")), HttpResponseStatus.BAD_REQUEST).get("code").asText());
        assertEquals("invalid_utf8", errorOf(send(get("/v1/feed?user_id=%ff%fe")), HttpResponseStatus.BAD_REQUEST).get("code").asText());
    }

    @Test
    void decoderFailuresMapToTheirStatus() {
        FullHttpRequest tooLong = get("/healthz");
        tooLong.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("header too long")));
        errorOf(send(tooLong), HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        FullHttpRequest garbage = get("/healthz");
        garbage.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version")));
        errorOf(send(garbage), HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void oversizedBodyIs413JsonAndClosesTheConnection() {
        EmbeddedChannel ch = channel();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/events");
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setTransferEncodingChunked(head, true);
        ch.writeInbound(head);
        ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[50])));
        ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[50])));
        FullHttpResponse response = ch.readOutbound();
        assertEquals("body_too_large", errorOf(response, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE).get("code").asText());
        assertTrue(!ch.isOpen(), "connection closed after 413");
    }

    @Test
    void requestsAreCountedByRouteAndStatus() {
        send(get("/nope"));
        String text = dev.feedserver.server.metrics.PrometheusText.render(metrics);
        assertTrue(text.contains("feedserver_requests_total{route=\"unknown\",status=\"404\"} 1"), text);
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private static FullHttpRequest postJson(String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(request, request.content().readableBytes());
        return request;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private FullHttpResponse send(FullHttpRequest request) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        ch.finishAndReleaseAll();
        return response;
    }

    private static JsonNode errorOf(FullHttpResponse response, HttpResponseStatus expected) {
        assertEquals(expected, response.status());
        assertTrue(response.headers().get(HttpHeaderNames.CONTENT_TYPE).startsWith("application/json"));
        try {
            JsonNode body = Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8));
            assertTrue(body.get("error").get("message").asText().length() > 0);
            return body.get("error");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            response.release();
        }
    }
}

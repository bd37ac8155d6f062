package dev.feedserver.server.http;

import dev.feedserver.server.metrics.Metrics;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes, validates and routes each request; never blocks the event loop. Protocol errors
 * (bad request line, oversized headers), unknown routes, wrong methods and wrong content types
 * are answered here; route work is handed to the {@link WorkerPool}, and a full pool gets 503
 * with {@code Retry-After}, as does work that waited in the queue past the pool's bound.
 *
 * <p>Sharable and stateless apart from thread-safe collaborators: one instance serves all
 * channels.
 */
@ChannelHandler.Sharable
public final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

    private final Map<Route, Map<HttpMethod, Handler>> handlers;
    private final RequestExecutor workers;
    private final RequestGate gate;
    private final Metrics metrics;
    private final AtomicLong requestSequence = new AtomicLong();
    private final String requestIdPrefix = Long.toHexString(System.currentTimeMillis() & 0xffffffL) + "-";

    public RequestRouter(Map<Route, Map<HttpMethod, Handler>> handlers, RequestExecutor workers, Metrics metrics) {
        this(handlers, workers, RequestGate.OPEN, metrics);
    }

    /** A router whose routed requests pass {@code gate} (access control, rate limits) first. */
    public RequestRouter(Map<Route, Map<HttpMethod, Handler>> handlers, RequestExecutor workers, RequestGate gate, Metrics metrics) {
        this.handlers = handlers;
        this.workers = workers;
        this.gate = gate;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        String requestId = requestIdPrefix + Long.toHexString(requestSequence.incrementAndGet());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ApiException e = protocolError(cause);
            finish(ctx, "invalid", ResponseWriter.errorResponse(e), requestId, false, start);
            return;
        }
        QueryStringDecoder uri;
        Map<String, List<String>> query;
        try {
            uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
            query = uri.parameters();
            checkDecodedText(uri.path());
            for (Map.Entry<String, List<String>> e : query.entrySet()) {
                checkDecodedText(e.getKey());
                e.getValue().forEach(RequestRouter::checkDecodedText);
            }
        } catch (IllegalArgumentException e) {
            finish(ctx, "invalid", ResponseWriter.errorResponse(HttpResponseStatus.BAD_REQUEST, "invalid_uri",
                    "request URI cannot be decoded: " + Json.printable(e.getMessage(), 120)), requestId, keepAlive, start);
            return;
        } catch (ApiException e) {
            finish(ctx, "invalid", ResponseWriter.errorResponse(e), requestId, keepAlive, start);
            return;
        }
        Route.Match match = Route.find(uri.path());
        if (match == null) {
            finish(ctx, "unknown", ResponseWriter.errorResponse(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no route for " + Json.quoteForMessage(uri.path())), requestId, keepAlive, start);
            return;
        }
        Route route = match.route();
        Handler handler = handlers.getOrDefault(route, Map.of()).get(request.method());
        if (handler == null) {
            String allow = route.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            finish(ctx, route.label(), ResponseWriter.errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.method() + " is not allowed on " + Json.quoteForMessage(uri.path()) + "; allowed: " + allow)
                    .withHeader("Allow", allow), requestId, keepAlive, start);
            return;
        }
        ApiException refused = gate.admit(route, request.method(), request.headers(), ctx.channel().remoteAddress());
        if (refused != null) {
            finish(ctx, route.label(), ResponseWriter.errorResponse(refused), requestId, keepAlive, start);
            return;
        }
        if (request.method().equals(HttpMethod.POST) || request.method().equals(HttpMethod.PUT)) {
            String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                finish(ctx, route.label(), ResponseWriter.errorResponse(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported_media_type", "Content-Type must be application/json, got " + Json.quoteForMessage(contentType)),
                        requestId, keepAlive, start);
                return;
            }
        }
        ApiRequest apiRequest = new ApiRequest(request.method(), uri.path(), query,
                ByteBufUtil.getBytes(request.content()), requestId, match.id());
        if (route.inline()) {
            finish(ctx, route.label(), invoke(handler, apiRequest), requestId, keepAlive, start);
            return;
        }
        long maxWait = workers.maxQueueWaitNanos();
        boolean accepted = workers.trySubmit(() -> {
            if (System.nanoTime() - start > maxWait) {
                // It waited past the bound: the client is better served by a fast 503 than a late answer.
                metrics.rejectedQueueWait();
                finish(ctx, route.label(), overloaded(), requestId, keepAlive, start);
                return;
            }
            finish(ctx, route.label(), invoke(handler, apiRequest), requestId, keepAlive, start);
        });
        if (!accepted) {
            metrics.rejectedOverload();
            finish(ctx, route.label(), overloaded(), requestId, keepAlive, start);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("closing connection from {} after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static ApiResponse overloaded() {
        return ResponseWriter.errorResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                "the server is at capacity; retry shortly").withHeader("Retry-After", "1");
    }

    private static ApiResponse invoke(Handler handler, ApiRequest request) {
        try {
            return handler.handle(request);
        } catch (ApiException e) {
            return ResponseWriter.errorResponse(e);
        } catch (RuntimeException e) {
            LOG.error("request {} {} {} failed", request.requestId(), request.method(), request.path(), e);
            return ResponseWriter.errorResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "internal error; see the server log for request " + request.requestId());
        }
    }

    private void finish(ChannelHandlerContext ctx, String routeLabel, ApiResponse response, String requestId,
                        boolean keepAlive, long startNanos) {
        ResponseWriter.write(ctx, response, requestId, keepAlive);
        metrics.recordRequest(routeLabel, response.status().code(), System.nanoTime() - startNanos);
    }

    private static ApiException protocolError(Throwable cause) {
        // Netty's messages quote the offending input: keep them short and printable.
        String detail = Json.printable(cause.getMessage(), 120);
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", detail);
        }
        if (cause instanceof TooLongHttpLineException) {
            return new ApiException(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long", detail);
        }
        if (cause instanceof TooLongFrameException) {
            return new ApiException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", detail);
        }
        return ApiException.badRequest("bad_request", "malformed HTTP request: " + detail);
    }

    /** Netty decodes percent-escapes leniently; a replacement character means the bytes were not UTF-8. */
    private static void checkDecodedText(String text) {
        if (text.indexOf('\uFFFD') >= 0) {
            throw ApiException.badRequest("invalid_utf8", "request URI is not valid UTF-8 after percent-decoding");
        }
    }
}

package dev.feedserver.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@link ApiResponse} into a Netty response with content length, request id and
 * keep-alive handling. Safe to call from any thread (Netty hands the write to the event loop).
 */
final class ResponseWriter {
    private static final long LINGER_MILLIS = 2_000;
    private ResponseWriter() {
    }

    static void write(ChannelHandlerContext ctx, ApiResponse response, String requestId, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().set("X-Content-Type-Options", "nosniff"); // bodies are data, never to be sniffed as HTML
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        if (requestId != null) {
            out.headers().set("X-Request-Id", requestId);
        }
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(future -> lingeringClose(ctx));
        }
    }

    /**
     * Closes after an error without losing the response: a client may still be sending (an
     * oversized header or body), and closing a socket with unread input sends a reset that can
     * destroy the response in flight. So shut down our output first (the client reads the
     * response, then end-of-stream), keep discarding input for a moment, then close.
     */
    private static void lingeringClose(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    static void error(ChannelHandlerContext ctx, ApiException e, String requestId, boolean keepAlive) {
        write(ctx, errorResponse(e), requestId, keepAlive);
    }

    static ApiResponse errorResponse(ApiException e) {
        return new ApiResponse(e.status(), ApiResponse.JSON, Json.error(e.code(), e.getMessage(), e.details()), e.headers());
    }

    static ApiResponse errorResponse(HttpResponseStatus status, String code, String message) {
        return ApiResponse.json(status, Json.error(code, message, null));
    }
}

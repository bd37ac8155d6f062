package dev.feedserver.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Turns an {@link ApiResponse} into a Netty response with content length, request id and
 * keep-alive handling. Safe to call from any thread (Netty hands the write to the event loop).
 */
final class ResponseWriter {
    private ResponseWriter() {
    }

    static void write(ChannelHandlerContext ctx, ApiResponse response, String requestId, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
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
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void error(ChannelHandlerContext ctx, ApiException e, String requestId, boolean keepAlive) {
        write(ctx, errorResponse(e), requestId, keepAlive);
    }

    static ApiResponse errorResponse(ApiException e) {
        return ApiResponse.json(e.status(), Json.error(e.code(), e.getMessage(), e.details()));
    }

    static ApiResponse errorResponse(HttpResponseStatus status, String code, String message) {
        return ApiResponse.json(status, Json.error(code, message, null));
    }
}

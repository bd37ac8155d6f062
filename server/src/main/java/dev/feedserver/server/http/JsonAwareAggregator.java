package dev.feedserver.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates request bodies up to the configured limit and answers a larger body with the API's
 * JSON 413 error (Netty's default is an empty body), then closes the connection, since the rest
 * of the oversized body would otherwise be read as the next request.
 *
 * <p>One instance per channel (Netty handler state), used on its event loop only.
 */
final class JsonAwareAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    JsonAwareAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Netty answers an unsupported {@code Expect} (417) or an announced oversized body (413) with
     * an empty body; the API promises a JSON error for every 4xx, so those get one.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full && full.status().code() != HttpResponseStatus.CONTINUE.code()) {
            HttpResponseStatus status = full.status();
            ReferenceCountUtil.release(full);
            ApiException e = status.code() == HttpResponseStatus.EXPECTATION_FAILED.code()
                    ? new ApiException(status, "expectation_failed", "only 'Expect: 100-continue' is supported")
                    : new ApiException(status, "body_too_large", "request body exceeds the limit of " + maxBodyBytes + " bytes");
            ApiResponse json = ResponseWriter.errorResponse(e);
            DefaultFullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json.body()));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.JSON);
            out.headers().set("X-Content-Type-Options", "nosniff");
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.body().length);
            out.headers().set(HttpHeaderNames.CONNECTION, "close");
            return out;
        }
        return response;
    }

    @Override
    protected boolean closeAfterContinueResponse(Object response) {
        return response instanceof FullHttpResponse full && full.status().code() != HttpResponseStatus.CONTINUE.code();
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ReferenceCountUtil.release(oversized);
        ApiException e = new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "request body exceeds the limit of " + maxBodyBytes + " bytes"
                        + (HttpUtil.isContentLengthSet(oversized) ? " (Content-Length " + HttpUtil.getContentLength(oversized, -1L) + ")" : ""));
        ResponseWriter.error(ctx, e, null, false);
    }
}

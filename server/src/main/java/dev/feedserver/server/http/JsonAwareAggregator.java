package dev.feedserver.server.http;

import io.netty.channel.ChannelHandlerContext;
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

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ReferenceCountUtil.release(oversized);
        ApiException e = new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "request body exceeds the limit of " + maxBodyBytes + " bytes"
                        + (HttpUtil.isContentLengthSet(oversized) ? " (Content-Length " + HttpUtil.getContentLength(oversized, -1L) + ")" : ""));
        ResponseWriter.error(ctx, e, null, false);
    }
}

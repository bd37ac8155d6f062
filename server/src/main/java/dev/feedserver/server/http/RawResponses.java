package dev.feedserver.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * A complete HTTP/1.1 error response written as bytes, for handlers that sit in front of the
 * HTTP codec (connection cap, read timeout): it carries the API's JSON error body and closes the
 * connection. Stateless.
 */
final class RawResponses {
    private RawResponses() {
    }

    static void writeAndClose(ChannelHandlerContext ctx, int status, String reason, String code, String message) {
        byte[] body = Json.error(code, message, null);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + ApiResponse.JSON + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "")
                + "Connection: close\r\n\r\n";
        ByteBuf out = Unpooled.buffer(head.length() + body.length);
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII)).writeBytes(body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}

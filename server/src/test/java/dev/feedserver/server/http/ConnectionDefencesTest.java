package dev.feedserver.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The read timeout (slowloris) and the connection cap on {@link EmbeddedChannel}s with a controlled clock. */
class ConnectionDefencesTest {
    private final AtomicLong expired = new AtomicLong();

    private EmbeddedChannel channel() {
        RequestReadTimeout timeout = new RequestReadTimeout(1_000, expired);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(timeout.start(), new HttpServerCodec(), new JsonAwareAggregator(1024), timeout.done(),
                new io.netty.channel.SimpleChannelInboundHandler<io.netty.handler.codec.http.FullHttpRequest>() {
                    @Override
                    protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http.FullHttpRequest msg) {
                        ctx.fireUserEventTriggered("complete");
                    }
                });
        return ch;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void aRequestTrickledSlowerThanTheTimeoutGets408AndIsClosed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("GET /v1/feed HTTP/1.1\r\n"));
        for (int i = 0; i < 3; i++) {
            ch.advanceTimeBy(300, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.writeInbound(ascii("X-Slow-" + i + ": a\r\n")); // never idle, never complete
        }
        assertTrue(ch.isOpen(), "still inside the timeout");
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ByteBuf out = ch.readOutbound();
        String response = out.toString(StandardCharsets.US_ASCII);
        out.release();
        assertTrue(response.startsWith("HTTP/1.1 408"), response);
        assertTrue(response.contains("\"code\":\"request_timeout\""), response);
        assertFalse(ch.isOpen());
        assertEquals(1, expired.get());
    }

    @Test
    void completeRequestsStopTheClockAndKeepAliveConnectionsSurvive() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 5; i++) {
            ch.writeInbound(ascii("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
            ch.advanceTimeBy(600, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.writeInbound(ascii("\r\n"));
            ch.advanceTimeBy(5_000, TimeUnit.MILLISECONDS); // idle between requests is the idle timeout's business
            ch.runScheduledPendingTasks();
        }
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
        assertEquals(0, expired.get());
        ch.finishAndReleaseAll();
    }

    @Test
    void connectionsPastTheCapGet503AndAreClosed() {
        ConnectionCap cap = new ConnectionCap(2);
        EmbeddedChannel a = new EmbeddedChannel(cap);
        EmbeddedChannel b = new EmbeddedChannel(cap);
        EmbeddedChannel c = new EmbeddedChannel(cap);
        assertTrue(a.isOpen() && b.isOpen());
        ByteBuf out = c.readOutbound();
        assertTrue(out.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503"));
        out.release();
        assertFalse(c.isOpen());
        assertEquals(2, cap.open());
        a.close();
        assertEquals(1, cap.open());
        EmbeddedChannel d = new EmbeddedChannel(cap);
        assertTrue(d.isOpen(), "a slot freed by a close is reusable");
        assertEquals(1, cap.refused());
        b.close();
        d.close();
    }
}

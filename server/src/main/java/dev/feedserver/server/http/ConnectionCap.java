package dev.feedserver.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps open connections: one past the cap is answered 503 {@code too_many_connections} and
 * closed before anything is read from it, so a flood of sockets cannot exhaust memory or file
 * descriptors. First in every pipeline. Sharable: one instance counts for the whole server.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            refused.incrementAndGet();
            ctx.channel().config().setAutoRead(false);
            RawResponses.writeAndClose(ctx, 503, "Service Unavailable", "too_many_connections",
                    "the server has its maximum of " + max + " connections open; retry shortly");
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }
}

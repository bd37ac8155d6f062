package dev.feedserver.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drops slow senders (slowloris): a request must be complete within the timeout of its first
 * byte. The {@link #start} handler sits before the HTTP codec and starts the clock on the first
 * bytes of a request; the {@link #done} handler sits after the aggregator and stops it when the
 * whole request has arrived. On expiry the connection gets a 408 JSON error and is closed. The
 * idle timeout alone cannot do this: a client trickling one byte now and then is never idle.
 *
 * <p>One instance per channel (two handlers over one state), used on its event loop only.
 */
final class RequestReadTimeout {
    private final long timeoutMillis;
    private final AtomicLong expiredCounter;
    private final Start start = new Start();
    private final Done done = new Done();
    private ScheduledFuture<?> timer;

    RequestReadTimeout(long timeoutMillis, AtomicLong expiredCounter) {
        this.timeoutMillis = timeoutMillis;
        this.expiredCounter = expiredCounter;
    }

    ChannelInboundHandlerAdapter start() {
        return start;
    }

    ChannelInboundHandlerAdapter done() {
        return done;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private final class Start extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
                timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            super.channelInactive(ctx);
        }

        private void expire(ChannelHandlerContext ctx) {
            timer = null;
            if (ctx.channel().isActive()) {
                expiredCounter.incrementAndGet();
                RawResponses.writeAndClose(ctx, 408, "Request Timeout", "request_timeout",
                        "the request did not arrive complete within " + timeoutMillis + " ms");
            }
        }
    }

    private final class Done extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof FullHttpRequest) {
                cancel();
            }
            super.channelRead(ctx, msg);
        }
    }
}

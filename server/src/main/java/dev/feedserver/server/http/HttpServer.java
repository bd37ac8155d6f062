package dev.feedserver.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Netty server: native epoll transport where available (NIO otherwise), pipeline
 * {@code connection cap -> idle -> read-timeout start -> codec (line/header limits) -> aggregator
 * (body limit) -> read-timeout done -> router}.
 *
 * <p>Lifecycle: {@link #start} binds once; {@link #stopAccepting} closes the listening socket;
 * {@link #shutdown} closes the event loops after in-flight writes. Not restartable.
 */
public final class HttpServer {
    private static final int MAX_INITIAL_LINE = 8_192;

    private final HttpConfig config;
    private final RequestRouter router;
    private final ConnectionLimits limits;
    private final ConnectionCap connectionCap;
    private final AtomicLong readTimeouts = new AtomicLong();
    private final boolean epoll = Epoll.isAvailable();
    private EventLoopGroup boss;
    private EventLoopGroup io;
    private Channel serverChannel;

    public HttpServer(HttpConfig config, RequestRouter router) {
        this(config, ConnectionLimits.DEFAULTS, router);
    }

    public HttpServer(HttpConfig config, ConnectionLimits limits, RequestRouter router) {
        this.config = config;
        this.router = router;
        this.limits = limits;
        this.connectionCap = new ConnectionCap(limits.maxConnections());
    }

    /** Binds and returns the actual port (useful with port 0). */
    public int start() throws InterruptedException {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, factory);
        io = new MultiThreadIoEventLoopGroup(config.ioThreads(), factory);
        IdleConnectionCloser idleCloser = new IdleConnectionCloser();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestReadTimeout readTimeout = new RequestReadTimeout(limits.requestReadTimeoutMillis(), readTimeouts);
                        ch.pipeline()
                                .addLast(connectionCap)
                                .addLast(new IdleStateHandler(0, 0, config.idleTimeoutSeconds(), TimeUnit.SECONDS))
                                .addLast(idleCloser)
                                .addLast(readTimeout.start())
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, config.maxHeaderBytes(), 8_192))
                                .addLast(new JsonAwareAggregator(config.maxBodyBytes()))
                                .addLast(readTimeout.done())
                                .addLast(router);
                    }
                });
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Connections open now. */
    public int openConnections() {
        return connectionCap.open();
    }

    /** Connections refused at the cap so far. */
    public long refusedConnections() {
        return connectionCap.refused();
    }

    /** Connections closed because a request did not arrive in time. */
    public long readTimeouts() {
        return readTimeouts.get();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** Closes the listening socket; connections already open keep being served. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Shuts the event loops down, letting queued writes flush first. */
    public void shutdown() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            io.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }
}

package dev.feedserver.server.app;

import dev.feedserver.server.generate.GenerateHandler;
import dev.feedserver.server.generate.GenerationHolder;
import dev.feedserver.server.api.EventsHandler;
import dev.feedserver.server.api.FeedHandler;
import dev.feedserver.server.api.ItemsHandler;
import dev.feedserver.server.api.OpsHandlers;
import dev.feedserver.server.api.RankerAdminHandler;
import dev.feedserver.server.api.UsersHandler;
import dev.feedserver.server.api.WebClientHandler;
import dev.feedserver.server.http.Handler;
import dev.feedserver.server.http.ConnectionLimits;
import dev.feedserver.server.http.HttpConfig;
import dev.feedserver.server.http.RequestGate;
import dev.feedserver.server.http.HttpServer;
import dev.feedserver.server.http.RequestRouter;
import dev.feedserver.server.http.Route;
import dev.feedserver.server.http.WorkerPool;
import dev.feedserver.server.metrics.Metrics;
import io.netty.handler.codec.http.HttpMethod;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires routes, worker pool, metrics and the Netty server, and owns their lifecycle. The HTTP
 * port opens first (so {@code /healthz} answers while the model loads); {@link #publish} makes
 * the server ready.
 *
 * <p>Lifecycle: {@link #start} once; {@link #stop} drains gracefully: readiness drops, the
 * listening socket closes, in-flight and queued requests finish (up to a deadline), then the
 * event loops stop and the model is freed. {@code stop} is idempotent.
 */
public final class FeedServerApp {
    private static final Logger LOG = LoggerFactory.getLogger(FeedServerApp.class);
    private static final long DRAIN_MILLIS = 10_000;

    private final HttpConfig config;
    private final Metrics metrics = new Metrics();
    private final ServiceHolder services = new ServiceHolder();
    private final GenerationHolder generation = new GenerationHolder();
    private final WorkerPool workers;
    private final HttpServer server;
    private final java.util.List<AutoCloseable> background = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean stopped;

    public FeedServerApp(HttpConfig config) {
        this(config, ConnectionLimits.DEFAULTS, RequestGate.OPEN);
    }

    /** A server whose routed requests pass {@code gate} (access control and rate limits). */
    public FeedServerApp(HttpConfig config, ConnectionLimits limits, RequestGate gate) {
        this.config = config;
        this.workers = new WorkerPool(config.workers(), config.queueCapacity(),
                java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(config.maxQueueWaitMillis()));
        this.server = new HttpServer(config, limits, new RequestRouter(routes(), workers, gate, metrics));
        metrics.gauge("feedserver_connections_open", server::openConnections);
        metrics.gauge("feedserver_connections_refused_total", server::refusedConnections);
        metrics.gauge("feedserver_request_read_timeouts_total", server::readTimeouts);
        metrics.gauge("feedserver_worker_queue_depth", workers::queued);
        metrics.gauge("feedserver_worker_active", workers::active);
        metrics.gauge("feedserver_ready", () -> services.ready() ? 1 : 0);
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Binds the port and returns it. */
    public int start() throws InterruptedException {
        services.state("loading");
        int port = server.start();
        metrics.info("transport", server.transport());
        return port;
    }

    public String transport() {
        return server.transport();
    }

    /** Makes the loaded service live; {@code /readyz} turns 200. */
    public void publish(FeedService service) {
        metrics.gauge("feedserver_items", () -> service.model().catalog().size());
        metrics.gauge("feedserver_users", () -> service.model().users().size());
        metrics.gauge("feedserver_user_store_slots", () -> service.model().users().store().slots());
        metrics.gauge("feedserver_user_store_bytes", () -> service.model().users().store().layout().totalBytes());
        services.publish(service);
    }

    /** Where the generation jobs API finds its jobs once the generation runtime is up. */
    public GenerationHolder generation() {
        return generation;
    }

    /**
     * Registers a background task to stop before the model is freed at shutdown. Tasks stop in
     * the reverse order of registration, so a task stops before what it was built on (the
     * generation jobs before their scheduler).
     */
    public void closeOnStop(AutoCloseable task) {
        background.add(task);
    }

    /** Records that loading failed; the server stays up (healthz) but never turns ready. */
    public void loadFailed(String reason) {
        services.state("failed: " + reason);
    }

    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("shutting down: draining in-flight requests");
        FeedService service = services.withdraw("draining");
        server.stopAccepting();
        try {
            if (!workers.drain(DRAIN_MILLIS)) {
                LOG.warn("requests still running after {} ms were interrupted", DRAIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdown();
        for (AutoCloseable task : background.reversed()) {
            try {
                task.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", task, e);
            }
        }
        if (service != null) {
            service.close();
        }
        LOG.info("stopped");
    }

    private Map<Route, Map<HttpMethod, Handler>> routes() {
        ItemsHandler items = new ItemsHandler(services);
        OpsHandlers ops = new OpsHandlers(services, metrics);
        Map<Route, Map<HttpMethod, Handler>> routes = new EnumMap<>(Route.class);
        routes.put(Route.FEED, Map.of(HttpMethod.GET, new FeedHandler(services, metrics)));
        routes.put(Route.EVENTS, Map.of(HttpMethod.POST, new EventsHandler(services, metrics, config.maxEventsPerBatch())));
        routes.put(Route.ITEM, Map.of(HttpMethod.GET, items::get, HttpMethod.PUT, items::put, HttpMethod.DELETE, items::delete));
        routes.put(Route.USER, Map.of(HttpMethod.GET, new UsersHandler(services)));
        RankerAdminHandler rankerAdmin = new RankerAdminHandler(services, metrics);
        routes.put(Route.ADMIN_RANKER, Map.of(HttpMethod.GET, rankerAdmin::get, HttpMethod.POST, rankerAdmin::post));
        GenerateHandler generate = new GenerateHandler(generation);
        routes.put(Route.GENERATE, Map.of(HttpMethod.POST, generate::submit, HttpMethod.GET, generate::list));
        routes.put(Route.GENERATE_JOB, Map.of(HttpMethod.GET, generate::get, HttpMethod.DELETE, generate::cancel));
        routes.put(Route.GENERATE_OUTPUT, Map.of(HttpMethod.GET, generate::output));
        routes.put(Route.HEALTHZ, Map.of(HttpMethod.GET, ops::healthz));
        routes.put(Route.READYZ, Map.of(HttpMethod.GET, ops::readyz));
        routes.put(Route.METRICS, Map.of(HttpMethod.GET, ops::metrics));
        routes.put(Route.WEB_CLIENT, Map.of(HttpMethod.GET, new WebClientHandler()));
        return routes;
    }
}

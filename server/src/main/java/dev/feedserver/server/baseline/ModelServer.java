package dev.feedserver.server.baseline;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.feedserver.onnx.mlp.OnnxMlpRunner;
import dev.feedserver.onnx.mlp.RankerOnnx;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal model server, the other half of the side-by-side baseline: the ranker's float ONNX
 * graph (as {@code export-onnx} writes it) served over HTTP with ONNX Runtime, the way Triton
 * or TF-Serving would serve it ({@link ScoringProtocol}: binary float32 rows in, head logits
 * out). The JDK's HTTP server accepts connections; {@code threads} worker threads each own an
 * {@link OnnxMlpRunner} (a session with {@code intraOpThreads} intra-op threads, reused buffers)
 * and handle one request at a time.
 *
 * <p>Threading: requests run on the worker threads; {@link #start} and {@link #close} from any
 * one thread. Lifecycle: {@link #start} binds and serves; {@link #close} stops accepting, waits
 * up to 5 s for requests in flight, then frees every session (idempotent).
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    /** Largest request body accepted: 1 GiB, far above 2,400 x 5,229 floats (50 MB). */
    private static final long MAX_BODY_BYTES = 1L << 30;

    private final HttpServer http;
    private final ExecutorService workers;
    private final List<OnnxMlpRunner> runners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Worker> worker;
    private final byte[] modelInfo;
    private final int width;
    private final int outputs;
    private volatile boolean closed;

    private ModelServer(HttpServer http, ExecutorService workers, byte[] onnx, int intraOpThreads, RankerModel model)
            throws OrtException {
        this.http = http;
        this.workers = workers;
        OnnxMlpRunner first = new OnnxMlpRunner(onnx, intraOpThreads, false);
        runners.add(first);
        this.width = first.inDim();
        this.outputs = first.outDim();
        if (width != model.schema().width()) {
            throw new IllegalArgumentException("the graph reads " + width + " features but its schema " + model.schema().id()
                    + " has " + model.schema().width());
        }
        ObjectNode info = Json.object();
        info.put("version", model.version()).put("feature_schema", model.schema().id()).put("width", width)
                .put("outputs", outputs).put("intra_op_threads", intraOpThreads).put("runtime", "onnxruntime float");
        this.modelInfo = Json.bytes(info);
        AtomicInteger handedOut = new AtomicInteger();
        this.worker = ThreadLocal.withInitial(() -> {
            try {
                OnnxMlpRunner runner = handedOut.getAndIncrement() == 0 ? first : new OnnxMlpRunner(onnx, intraOpThreads, false);
                if (runner != first) {
                    runners.add(runner);
                }
                return new Worker(runner);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not open a session for a worker: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Loads {@code onnx} (a float ranker graph from {@code export-onnx}) and serves it on
     * {@code host:port} (0: any free port).
     *
     * @throws IllegalArgumentException if the bytes are not a ranker graph this server runs
     * @throws IOException              if the port cannot be bound
     */
    public static ModelServer start(byte[] onnx, String host, int port, int threads, int intraOpThreads)
            throws IOException, OrtException {
        if (threads < 1 || intraOpThreads < 1) {
            throw new IllegalArgumentException("--threads and --intra-op-threads must be >= 1");
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // The wire format is little-endian and the body goes to ONNX Runtime without a swap.
            throw new IllegalStateException("the model server runs on little-endian machines only");
        }
        RankerModel model = RankerOnnx.importFloat(onnx, null);
        // Without TCP_NODELAY the answer's headers and body meet Nagle's algorithm and the
        // client's delayed ACK: tens of milliseconds of waiting no real model server pays.
        // Read once, when the JDK's server classes first load; harmless if already set.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        ExecutorService workers = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("model-server-", 0).factory());
        ModelServer server;
        try {
            server = new ModelServer(http, workers, onnx, intraOpThreads, model);
        } catch (RuntimeException | OrtException e) {
            workers.shutdownNow();
            http.stop(0);
            throw e;
        }
        http.setExecutor(workers);
        http.createContext(ScoringProtocol.SCORE, server::score);
        http.createContext(ScoringProtocol.MODEL, exchange -> server.answer(exchange, 200, "application/json", server.modelInfo));
        http.createContext(ScoringProtocol.HEALTH, exchange -> server.answer(exchange, 200, "text/plain", "ok\n".getBytes(StandardCharsets.US_ASCII)));
        http.start();
        return server;
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The model description {@code GET /v1/model} answers (JSON). */
    public String modelInfo() {
        return new String(modelInfo, StandardCharsets.UTF_8);
    }

    private void score(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "text/plain", ("use POST\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            long length = contentLength(exchange);
            long rowBytes = (long) width * Float.BYTES;
            if (length <= 0 || length % rowBytes != 0 || length > MAX_BODY_BYTES) {
                answer(exchange, 400, "text/plain", ("the body must be a positive whole number of rows of " + width
                        + " float32 (" + rowBytes + " bytes each, at most " + MAX_BODY_BYTES + " in all); got " + length + " bytes\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            int rows = (int) (length / rowBytes);
            Worker w = worker.get();
            byte[] body = w.body((int) length);
            try (InputStream in = exchange.getRequestBody()) {
                if (in.readNBytes(body, 0, (int) length) != length) {
                    answer(exchange, 400, "text/plain", "the body ended before Content-Length bytes\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
            }
            int outBytes = rows * outputs * Float.BYTES;
            byte[] out = w.out(outBytes);
            try {
                w.runner.run(MemorySegment.ofArray(body).asSlice(0, length), rows, MemorySegment.ofArray(out).asSlice(0, outBytes));
            } catch (OrtException | RuntimeException e) {
                LOG.error("model-server: scoring {} rows failed", rows, e);
                answer(exchange, 500, "text/plain", ("scoring failed: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", ScoringProtocol.OCTETS);
            exchange.sendResponseHeaders(200, outBytes);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out, 0, outBytes);
            }
        }
    }

    private static long contentLength(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (OnnxMlpRunner runner : runners) {
            try {
                runner.close();
            } catch (OrtException e) {
                LOG.warn("model-server: closing a session failed: {}", e.getMessage());
            }
        }
    }

    /** One worker thread's session and buffers. Not thread-safe. */
    private static final class Worker {
        final OnnxMlpRunner runner;
        private byte[] body = new byte[0];
        private byte[] out = new byte[0];

        Worker(OnnxMlpRunner runner) {
            this.runner = runner;
        }

        byte[] body(int bytes) {
            if (body.length < bytes) {
                body = new byte[bytes];
            }
            return body;
        }

        byte[] out(int bytes) {
            if (out.length < bytes) {
                out = new byte[bytes];
            }
            return out;
        }
    }
}

package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture users would otherwise build, started beside the in-process server for the
 * side-by-side comparison: a private {@code redis-server} holding the user vectors
 * ({@link RedisPeer}, installed from apt if missing), a {@code model-server} process serving the
 * in-process server's own trained ranker (exported with {@code export-onnx}, float graph) with
 * ONNX Runtime, and a second {@code serve} process over the same world and the same model file
 * in baseline mode ({@code --user-vectors}, {@code --remote-ranker}). Same retrieval, features,
 * model weights and response; only the user read and the scoring go over the network.
 *
 * <p>Threading: one thread. Lifecycle: {@link #start} starts all three (stopping what it
 * started if one fails); {@link #close} stops them all.
 */
final class BaselineStack implements AutoCloseable {
    private final RedisPeer redis;
    private final ServerProcesses.Started modelServer;
    private final ServerProcesses.Started server;
    private final ObjectNode description;

    private BaselineStack(RedisPeer redis, ServerProcesses.Started modelServer, ServerProcesses.Started server, ObjectNode description) {
        this.redis = redis;
        this.modelServer = modelServer;
        this.server = server;
        this.description = description;
    }

    /**
     * Starts the stack in {@code dir}.
     *
     * @param rankerFile the in-process server's trained model file ({@code .fsrank})
     * @param serverArgs the in-process server's extra {@code serve} arguments (the same world);
     *                   any {@code --ranker} among them is replaced by {@code rankerFile}
     * @throws IllegalStateException when redis-server is missing and cannot be installed, or a
     *                               process fails to start (with its log)
     */
    static BaselineStack start(Path jar, Path dir, Path rankerFile, List<String> serverArgs, HttpClient client)
            throws IOException, InterruptedException {
        String missing = RedisPeer.ensureInstalled();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        Files.createDirectories(dir);
        RedisPeer redis = RedisPeer.start();
        ServerProcesses.Started modelServer = null;
        try {
            Path onnx = dir.resolve("ranker.onnx");
            ServerProcesses.run(jar, List.of("export-onnx", "--model", rankerFile.toString(), "--output", onnx.toString()),
                    dir.resolve("export-onnx.log"));
            modelServer = ServerProcesses.modelServer(jar, onnx, dir);
            List<String> args = new ArrayList<>(withoutRanker(serverArgs));
            args.addAll(List.of("--ranker", rankerFile.toString(), "--user-vectors", "redis://127.0.0.1:" + redis.port(),
                    "--remote-ranker", modelServer.base().toString()));
            ServerProcesses.Started server = ServerProcesses.serve(jar, dir.resolve("server"), args, client);
            ObjectNode description = Json.object();
            description.put("redis", RedisPeer.capture("redis-server --version").trim())
                    .put("model_server", "feedserver model-server: ONNX Runtime float, one session per worker thread ("
                            + Runtime.getRuntime().availableProcessors() + "), 1 intra-op thread each, binary float32 over HTTP/1.1")
                    .put("onnx_bytes", Files.size(onnx))
                    .put("server_args", String.join(" ", args));
            return new BaselineStack(redis, modelServer, server, description);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (modelServer != null) {
                ServerProcesses.stop(modelServer.process());
            }
            redis.close();
            throw e;
        }
    }

    /** {@code args} without any {@code --ranker VALUE} or {@code --ranker=VALUE}. */
    static List<String> withoutRanker(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--ranker")) {
                i++;
            } else if (!a.startsWith("--ranker=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** The baseline server's base URL. */
    URI base() {
        return server.base();
    }

    /** The names of {@link #pids()}, in order. */
    static final String[] PROCESS_NAMES = {"server", "model_server", "redis_server"};

    /** The processes whose CPU a baseline request costs: server, model server, redis-server. */
    long[] pids() {
        return new long[] {server.process().pid(), modelServer.process().pid(), redis.pid()};
    }

    /** What was started, for load.json. */
    ObjectNode describe() {
        return description.deepCopy();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            ServerProcesses.stop(server.process());
            ServerProcesses.stop(modelServer.process());
        } finally {
            redis.close();
        }
    }
}

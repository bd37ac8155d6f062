package dev.feedserver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code serve} process of the server jar for a fault scenario, started with optional JVM
 * options and an optional command prefix (such as {@code setpriv} to drop root), on an
 * ephemeral port; waits for {@code /readyz}. Output goes to {@code server.log} in its data
 * directory. Not thread-safe: one scenario drives it.
 */
final class FaultServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private final Process process;
    private final Path dataDir;
    private final int port;
    private final HttpClient client;

    private FaultServer(Process process, Path dataDir, int port, HttpClient client) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.client = client;
    }

    /** Starts {@code [prefix...] java [jvmOptions...] -jar JAR serve --port 0 --data-dir DIR args...}. */
    static FaultServer start(Path jar, Path dataDir, List<String> prefix, List<String> jvmOptions, List<String> args, HttpClient client)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path serverFile = dataDir.resolve("server.json");
        Files.deleteIfExists(serverFile); // a killed run's file names its old port
        List<String> serveArgs = new ArrayList<>(List.of("serve", "--port", "0", "--data-dir", dataDir.toString()));
        serveArgs.addAll(args);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(ServerProcesses.command(jar, jvmOptions, serveArgs));
        Path log = dataDir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("server did not become ready: " + String.join(" ", command) + "\n" + tail(log));
            }
            if (Files.exists(serverFile)) {
                int port = Json.MAPPER.readTree(serverFile.toFile()).get("port").asInt();
                FaultServer server = new FaultServer(process, dataDir, port, client);
                try {
                    if (server.get("/readyz").statusCode() == 200) {
                        return server;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(100);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    /**
     * Posts, retrying (up to 50 times, 50 ms apart) while the server sheds the request with 503
     * {@code overloaded}: on a busy machine a request can wait past the queue bound, which is
     * not the fault under test.
     */
    HttpResponse<String> postUnshed(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = post(path, json);
        for (int i = 0; i < 50 && response.statusCode() == 503 && "overloaded".equals(errorCode(response)); i++) {
            Thread.sleep(50);
            response = post(path, json);
        }
        return response;
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    private HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The error code of a JSON error body, or null when the body is not one. */
    static String errorCode(HttpResponse<String> response) {
        try {
            JsonNode error = Json.MAPPER.readTree(response.body()).get("error");
            return error == null ? null : error.get("code").asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code interactions} of a user, or -1 when the user is unknown. */
    long interactions(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/v1/users/" + user);
        return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()).get("interactions").asLong() : -1;
    }

    String log() throws IOException {
        return Files.readString(dataDir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    /** SIGKILL: no shutdown hook, no checkpoint. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait (the server checkpoints on the way out). */
    void stop() throws InterruptedException {
        ServerProcesses.stop(process);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}

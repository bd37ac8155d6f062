package dev.feedserver.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Starts the real {@code feedserver.jar} (the one the launcher runs) as a child process on an
 * ephemeral port, waits until {@code /readyz} says ready, and talks HTTP to it. The port comes
 * from {@code server.json} in the process's data directory. Output goes to a log file in that
 * directory, printed when start-up fails.
 */
final class ServerProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dataDir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    private ServerProcess(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    static ServerProcess start(Path dataDir, String... extraArgs) throws Exception {
        return start(dataDir, List.of(), extraArgs);
    }

    /** As {@link #start(Path, String...)}, with JVM options (system properties) before {@code -jar}. */
    static ServerProcess start(Path dataDir, List<String> jvmOptions, String... extraArgs) throws Exception {
        String jar = System.getProperty("feedserver.jar");
        String java = System.getProperty("feedserver.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("feedserver.jar not found at " + jar + "; run through 'mvn verify'");
        }
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar, "serve", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        Path log = dataDir.resolve("server.log");
        Files.createDirectories(dataDir);
        Files.deleteIfExists(dataDir.resolve("server.json")); // a previous (killed) run's file names its port
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path serverFile = dataDir.resolve("server.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(serverFile)) {
            failIfGone(process, log, deadline);
            Thread.sleep(50);
        }
        int port = JSON.readTree(serverFile.toFile()).get("port").asInt();
        ServerProcess server = new ServerProcess(process, dataDir, port);
        while (server.get("/readyz").statusCode() != 200) {
            failIfGone(process, log, deadline);
            Thread.sleep(100);
        }
        return server;
    }

    private static void failIfGone(Process process, Path log, long deadline) throws IOException {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not become ready; log:\n" + Files.readString(log));
        }
    }

    int port() {
        return port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with an optional API key (Bearer) and optional JSON body. */
    HttpResponse<String> call(String method, String path, String key, String json) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code feedserver.jar ARGS} (e.g. {@code keys create ...}) to completion; returns its standard output. */
    static String cli(String... args) throws Exception {
        String jar = System.getProperty("feedserver.jar");
        String java = System.getProperty("feedserver.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("feedserver " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of an unlabelled metric in a {@code /metrics} scrape; fails when it is missing. */
    static double metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " missing from /metrics");
    }

    /** The value of an unlabelled metric, scraped now. */
    double metric(String name) throws IOException, InterruptedException {
        return metric(get("/metrics").body(), name);
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    String log() throws IOException {
        return Files.readString(dataDir.resolve("server.log"));
    }

    /** Sends SIGTERM and waits for a graceful exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL (no shutdown hooks run) and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}

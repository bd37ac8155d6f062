package dev.feedserver.bench;

import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the processes the load suite measures, all from the same server jar and the
 * same JDK as the suite: {@code serve} (waits for {@code /readyz}), {@code model-server} (waits
 * for its port file) and one-shot commands such as {@code export-onnx}. Each process writes its
 * output to a log file in its folder, shown when it fails to start. Also reads a process's CPU
 * time from {@code /proc}. Stateless; one caller at a time per process.
 */
final class ServerProcesses {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

    private ServerProcesses() {
    }

    /** A started process and the port it serves on. */
    record Started(Process process, int port) {
        URI base() {
            return URI.create("http://127.0.0.1:" + port);
        }
    }

    /** {@code java --enable-native-access=ALL-UNNAMED -jar JAR args...}. */
    static List<String> command(Path jar, List<String> args) {
        return command(jar, List.of(), args);
    }

    /** {@code java --enable-native-access=ALL-UNNAMED JVM-OPTIONS... -jar JAR args...}. */
    static List<String> command(Path jar, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        return command;
    }

    /** Starts {@code serve --port 0 --data-dir DIR args...} and waits until {@code /readyz} answers 200. */
    static Started serve(Path jar, Path dataDir, List<String> args, HttpClient client) throws IOException, InterruptedException {
        checkJar(jar);
        Files.createDirectories(dataDir);
        List<String> serveArgs = new ArrayList<>(List.of("serve", "--port", "0", "--data-dir", dataDir.toString()));
        serveArgs.addAll(args);
        List<String> command = command(jar, serveArgs);
        Path log = dataDir.resolve("server.log");
        System.err.println("load: starting " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Path serverFile = dataDir.resolve("server.json");
        while (true) {
            failIfGone(process, log, deadline, "server did not become ready");
            if (Files.exists(serverFile)) {
                int port = Json.MAPPER.readTree(serverFile.toFile()).get("port").asInt();
                try {
                    HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        return new Started(process, port);
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(200);
        }
    }

    /** Starts {@code model-server --model ONNX --port 0} (one worker per core) and waits for its port. */
    static Started modelServer(Path jar, Path onnx, Path dir) throws IOException, InterruptedException {
        checkJar(jar);
        Path portFile = dir.resolve("model-server.port");
        Files.deleteIfExists(portFile);
        List<String> command = command(jar, List.of("model-server", "--model", onnx.toString(), "--port", "0",
                "--port-file", portFile.toString(), "--intra-op-threads", "1"));
        Path log = dir.resolve("model-server.log");
        System.err.println("load: starting " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(portFile)) {
            failIfGone(process, log, deadline, "model server did not start");
            Thread.sleep(50);
        }
        return new Started(process, Integer.parseInt(Files.readString(portFile).trim()));
    }

    /** Runs a one-shot command of the jar to completion; throws with its output when it fails. */
    static void run(Path jar, List<String> args, Path log) throws IOException, InterruptedException {
        checkJar(jar);
        Process process = new ProcessBuilder(command(jar, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", args) + " took more than 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n" + Files.readString(log));
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** User plus system CPU seconds of process {@code pid} so far, all its threads (0 when unknown). */
    static double cpuSeconds(long pid) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks / 100.0; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return 0;
        }
    }

    private static void checkJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("server jar not found at " + jar + "; build with ./feedserver build");
        }
    }

    private static void failIfGone(Process process, Path log, long deadline, String what) throws IOException {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw new IllegalStateException(what + "; log:\n" + Files.readString(log));
        }
    }
}

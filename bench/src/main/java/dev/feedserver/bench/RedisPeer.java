package dev.feedserver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;

/**
 * A private {@code redis-server} for the store suite and the load suite's baseline: started on a free loopback port with no
 * persistence ({@code --save '' --appendonly no}) in a temporary directory, loaded with binary
 * FP32 vectors under keys {@code u:<id>} through a pipelined Jedis connection, measured with
 * {@code INFO memory}, and always shut down by {@link #close()} (also from a shutdown hook if
 * the JVM exits first). One thread at a time.
 */
final class RedisPeer implements AutoCloseable {
    private static final int PIPELINE_BATCH = 1_000;

    private final Process process;
    private final Path dir;
    private final int port;
    private final Jedis jedis;
    private final Thread killer;

    private RedisPeer(Process process, Path dir, int port, Jedis jedis, Thread killer) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.jedis = jedis;
        this.killer = killer;
    }

    /**
     * Makes sure {@code redis-server} is on the PATH, installing the Debian package when it is
     * not (saying so); returns null when it is available, else why not.
     */
    static String ensureInstalled() {
        if (shell("command -v redis-server", false) == 0) {
            return null;
        }
        boolean root = "0".equals(capture("id -u").trim());
        String sudo = root ? "" : "sudo -n ";
        if (!root && shell("command -v sudo", false) != 0) {
            return "redis-server is not installed, and installing it needs root (not root, no sudo)";
        }
        String install = "DEBIAN_FRONTEND=noninteractive " + sudo + "apt-get install -y redis-server";
        System.out.println("redis: redis-server not found on PATH; installing it: " + install);
        int rc = shell(install, true);
        if (rc != 0) {
            String update = sudo + "apt-get update";
            System.out.println("redis: install failed (exit " + rc + "); refreshing the package lists: " + update + ", then retrying");
            shell(update, true);
            rc = shell(install, true);
        }
        if (shell("command -v redis-server", false) != 0) {
            return "redis-server is not installed and '" + install + "' failed (exit " + rc + ")";
        }
        System.out.println("redis: installed " + capture("redis-server --version").trim());
        return null;
    }

    /** Starts a private instance and waits until it answers PING. */
    static RedisPeer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("feedserver-redis-");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString());
        System.out.println("redis: starting " + String.join(" ", command.stream().map(a -> a.isEmpty() ? "''" : a).toList()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        Thread killer = new Thread(() -> {
            process.destroyForcibly();
            deleteQuietly(dir);
        }, "redis-peer-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                String log = tail(dir.resolve("redis.log")) + tail(dir.resolve("redis.out"));
                stopProcess(process, dir, killer);
                throw new IOException("redis-server exited with " + process.exitValue() + ": " + log.strip());
            }
            Jedis jedis = null;
            try {
                jedis = new Jedis("127.0.0.1", port, DefaultJedisClientConfig.builder().timeoutMillis(60_000)
                        .protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false).build());
                if ("PONG".equals(jedis.ping())) {
                    return new RedisPeer(process, dir, port, jedis, killer);
                }
            } catch (RuntimeException notYet) {
                if (jedis != null) {
                    jedis.close();
                }
            }
            if (System.nanoTime() > deadline) {
                stopProcess(process, dir, killer);
                throw new IOException("redis-server did not answer PING on port " + port + " within 15 s");
            }
            Thread.sleep(50);
        }
    }

    int port() {
        return port;
    }

    /** The redis-server process id (for its CPU time). */
    long pid() {
        return process.pid();
    }

    /** A section of INFO as name to value. */
    Map<String, String> info(String section) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : jedis.info(section).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    long usedMemory() {
        return Long.parseLong(info("memory").get("used_memory"));
    }

    void flushAll() {
        jedis.flushAll();
    }

    long dbSize() {
        return jedis.dbSize();
    }

    static byte[] key(long id) {
        return ("u:" + id).getBytes(StandardCharsets.US_ASCII);
    }

    /** SETs keys u:0..u:n-1 to random {@code dim}-float little-endian strings, pipelined; returns seconds taken. */
    double load(int dim, long n, RandomVectors random) {
        float[] v = new float[dim];
        long start = System.nanoTime();
        long step = n >= 2_000_000 ? n / 10 : Long.MAX_VALUE;
        Pipeline pipeline = jedis.pipelined();
        try {
            for (long id = 0; id < n; id++) {
                random.uniform(v);
                pipeline.set(key(id), toBytes(v));
                if ((id + 1) % PIPELINE_BATCH == 0) {
                    pipeline.sync();
                }
                if ((id + 1) % step == 0) {
                    System.out.printf("    %,d / %,d (%.1f s)%n", id + 1, n, (System.nanoTime() - start) / 1e9);
                }
            }
            pipeline.sync();
        } finally {
            pipeline.close();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Latency of one GET of a random key among u:0..u:n-1 (each value {@code dim} floats),
     * decoded into a float[], one request at a time over loopback; {@code warmup} untimed
     * requests first. Nanoseconds, per request.
     */
    Histogram getLatency(long n, int dim, int warmup, int count, RandomVectors random) {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        float[] v = new float[dim];
        for (int i = -warmup; i < count; i++) {
            byte[] key = key(Math.unsignedMultiplyHigh(random.nextLong(), n));
            long start = System.nanoTime();
            byte[] value = jedis.get(key);
            if (value == null || value.length != dim * Float.BYTES) {
                throw new IllegalStateException("GET returned " + (value == null ? "nil" : value.length + " bytes"));
            }
            ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            long elapsed = System.nanoTime() - start;
            if (i >= 0) {
                histogram.recordValue(Math.min(elapsed, histogram.getHighestTrackableValue()));
            }
        }
        return histogram;
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(v);
        return buffer.array();
    }

    /** SHUTDOWN NOSAVE, then waits for the process (killing it if it lingers) and deletes the directory. */
    @Override
    public void close() {
        try {
            jedis.shutdown();
        } catch (RuntimeException e) {
            // the connection drops as the server exits, or it is already gone; the process wait below decides
        } finally {
            jedis.close();
            stopProcess(process, dir, killer);
            System.out.println("redis: redis-server on port " + port + " stopped");
        }
    }

    private static void stopProcess(Process process, Path dir, Thread killer) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it kills and deletes too
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** Runs {@code bash -c command}; its output goes to ours when {@code show}. Returns the exit status. */
    private static int shell(String command, boolean show) {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
            if (show) {
                builder.inheritIO();
            } else {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = builder.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The output of {@code bash -c command}, or "" if it cannot run. */
    static String capture(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The side-by-side baseline over HTTP, as the load suite runs it: a real {@code redis-server},
 * the in-process server's trained ranker exported with {@code export-onnx} and served by a
 * {@code model-server} process, and a second server in baseline mode over the same world
 * ({@code --user-vectors}, {@code --remote-ranker}). Its feeds are ranked by the same model
 * version and mostly agree with the in-process server's, and its user vectors live in Redis and
 * follow events. Skipped, with a message, when redis-server is absent.
 */
class BaselineModeIT {
    private static final String[] WORLD = {"--users", "300", "--items", "600", "--topics", "8", "--factors", "16",
        "--iterations", "4", "--content-encoder", "hashing", "--ranker-queries", "600", "--ranker-epochs", "2",
        "--ranker-hidden", "64,32"};

    @TempDir
    static Path dir;
    private static ServerProcess inProcess;
    private static ServerProcess baseline;
    private static Process redis;
    private static Process modelServer;
    private static int redisPort;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(onPath("redis-server"), "redis-server is not installed (apt-get install redis-server); baseline IT skipped");
        redisPort = freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        inProcess = ServerProcess.start(dir.resolve("in-process"), WORLD);
        Path model;
        try (Stream<Path> files = Files.list(dir.resolve("in-process").resolve("ranker"))) {
            model = files.filter(p -> p.toString().endsWith(".fsrank")).findFirst().orElseThrow();
        }
        Path onnx = dir.resolve("ranker.onnx");
        Process export = jar("export-onnx", "--model", model.toString(), "--output", onnx.toString())
                .redirectOutput(dir.resolve("export.log").toFile()).start();
        assertTrue(export.waitFor(120, TimeUnit.SECONDS) && export.exitValue() == 0, Files.readString(dir.resolve("export.log")));
        Path portFile = dir.resolve("model-server.port");
        modelServer = jar("model-server", "--model", onnx.toString(), "--port", "0", "--port-file", portFile.toString(),
                "--threads", "2").redirectOutput(dir.resolve("model-server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile)) {
            assertTrue(modelServer.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("model-server.log")));
            Thread.sleep(50);
        }
        String modelPort = Files.readString(portFile).trim();
        List<String> args = new ArrayList<>(Arrays.asList(WORLD));
        args.addAll(List.of("--ranker", model.toString(), "--user-vectors", "redis://127.0.0.1:" + redisPort,
                "--remote-ranker", "http://127.0.0.1:" + modelPort));
        baseline = ServerProcess.start(dir.resolve("baseline"), args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerProcess server : new ServerProcess[] {baseline, inProcess}) {
            if (server != null) {
                server.close();
            }
        }
        for (Process p : new Process[] {modelServer, redis}) {
            if (p != null) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void baselineFeedsAreRankedByTheSameModelWithUserVectorsInRedis() throws Exception {
        int overlap = 0;
        int total = 0;
        for (int u = 0; u < 20; u++) {
            JsonNode local = inProcess.getJson("/v1/feed?user_id=u" + u + "&limit=10");
            JsonNode remote = baseline.getJson("/v1/feed?user_id=u" + u + "&limit=10");
            assertEquals(local.get("ranker_version").asText(), remote.get("ranker_version").asText());
            assertEquals(10, remote.get("items").size());
            Set<String> ids = ids(local);
            for (String id : ids(remote)) {
                overlap += ids.contains(id) ? 1 : 0;
            }
            total += 10;
        }
        // Same world, same model: the pages mostly agree (float vs int8 scores and sampled
        // cluster candidates make the rest differ).
        assertTrue(overlap >= total / 2, "baseline and in-process pages share " + overlap + " of " + total + " items");
        try (Jedis jedis = redisClient()) {
            assertNotNull(jedis.get("u:u3".getBytes(StandardCharsets.UTF_8)), "u3's vector is in Redis");
        }
    }

    @Test
    void anEventUpdatesTheUsersVectorInRedis() throws Exception {
        try (Jedis jedis = redisClient()) {
            byte[] key = "u:u7".getBytes(StandardCharsets.UTF_8);
            byte[] before = jedis.get(key);
            String item = baseline.getJson("/v1/feed?user_id=u9&limit=1").get("items").get(0).get("item_id").asText();
            String body = "{\"events\":[{\"user_id\":\"u7\",\"item_id\":\"" + item + "\",\"type\":\"like\"}]}";
            assertEquals(202, baseline.postJson("/v1/events", body).statusCode());
            assertNotEquals(Arrays.toString(before), Arrays.toString(jedis.get(key)), "the like moved u7's vector in Redis");
        }
    }

    private static Jedis redisClient() {
        return new Jedis("127.0.0.1", redisPort, DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2)
                .autoNegotiateProtocol(false).build());
    }

    private static Set<String> ids(JsonNode feed) {
        Set<String> ids = new HashSet<>();
        feed.get("items").forEach(item -> ids.add(item.get("item_id").asText()));
        return ids;
    }

    private static ProcessBuilder jar(String... args) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("feedserver.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()), "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g", "-jar", System.getProperty("feedserver.jar")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static boolean onPath(String program) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + program).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

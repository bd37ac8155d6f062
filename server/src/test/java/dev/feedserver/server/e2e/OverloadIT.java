package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offered load far past capacity (one worker, a queue of four, 48 clients without think time):
 * the server sheds with 503 {@code overloaded} and {@code Retry-After} (a full queue, or a wait past the bound) rather than
 * queueing, every other answer is a 200, and it serves normally as soon as the flood stops.
 * Latency under overload is measured by the load benchmark, not asserted here.
 */
class OverloadIT {
    @TempDir
    Path dataDir;

    @Test
    void pastCapacityTheServerShedsWith503AndRecovers() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "--users", "300", "--items", "2000", "--topics", "8", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker", "none", "--workers", "1", "--queue", "4")) {
            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            AtomicInteger missingRetryAfter = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            ExecutorService clients = Executors.newFixedThreadPool(48);
            for (int c = 0; c < 48; c++) {
                int client = c;
                clients.submit(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<String> r = server.get("/v1/feed?user_id=u" + ((client * 31 + i++) % 300) + "&limit=50");
                            statuses.computeIfAbsent(r.statusCode(), s -> new LongAdder()).increment();
                            if (r.statusCode() == 503 && (r.headers().firstValue("Retry-After").isEmpty() || !r.body().contains("overloaded"))) {
                                missingRetryAfter.incrementAndGet();
                            }
                        } catch (Exception e) {
                            statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
            long shed = statuses.getOrDefault(503, new LongAdder()).sum();
            long served = statuses.getOrDefault(200, new LongAdder()).sum();
            assertTrue(shed > 0, "load past capacity is shed: " + statuses);
            assertTrue(served > 0, "and the capacity there is still serves: " + statuses);
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), "only 200 or 503, no errors or timeouts: " + statuses);
            assertEquals(0, missingRetryAfter.get(), "every 503 is 'overloaded' with Retry-After");
            for (int i = 0; i < 10; i++) {
                assertEquals(200, server.get("/v1/feed?user_id=u" + i + "&limit=5").statusCode(), "serves normally once the flood stops");
            }
            String metrics = server.get("/metrics").body();
            assertEquals(shed, (long) (ServerProcess.metric(metrics, "feedserver_overload_rejections_total") + ServerProcess.metric(metrics, "feedserver_queue_wait_rejections_total")),
                    "every 503 is counted, as a full queue or as a wait past --max-queue-wait-ms");
        }
    }
}

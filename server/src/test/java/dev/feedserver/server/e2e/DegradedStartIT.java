package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with a part that cannot load, over the real jar: the server comes up without it,
 * says so in its log and metrics, and serves everything else. MiniLM is broken the way a
 * locked-down host breaks it (DJL cannot extract its tokenizer library: its cache directory is
 * under {@code /proc}); the native kernels by naming a library that does not exist.
 */
class DegradedStartIT {
    private static final String[] SMALL = {"--users", "200", "--items", "400", "--topics", "8", "--factors", "16", "--iterations", "4"};

    @TempDir
    Path data;

    @Test
    void miniLmFailingToLoadDisablesContentEmbeddingsOnlyWithAMetric() throws Exception {
        String[] args = concat(SMALL, "--content-encoder", "minilm", "--ranker-queries", "300", "--ranker-epochs", "1", "--ranker-hidden", "32,16");
        try (ServerProcess server = ServerProcess.start(data, List.of("-DENGINE_CACHE_DIR=/proc/feedserver-no-such-dir"), args)) {
            assertTrue(server.get("/metrics").body().contains("feedserver_content_encoder_load_failures 1"), "the metric says it");
            assertTrue(server.log().contains("running WITHOUT content embeddings"), "an ERROR line says why");
            assertEquals(200, server.get("/v1/feed?user_id=u1&limit=5").statusCode(), "feeds serve");
            assertEquals(202, server.postJson("/v1/events", "{\"events\":[{\"user_id\":\"u1\",\"item_id\":\"i1\",\"type\":\"click\"}]}").statusCode());
            assertEquals(201, server.send("PUT", "/v1/items/degraded-1", "application/json",
                    "{\"title\":\"No content vector\",\"text\":\"still stored\",\"tags\":[\"x\"]}".getBytes()).statusCode());
            assertEquals(200, server.get("/v1/feed?user_id=u2&limit=5").statusCode());
        }
    }

    @Test
    void aMissingNativeLibraryFallsBackToTheJavaKernels() throws Exception {
        String[] args = concat(SMALL, "--content-encoder", "hashing", "--ranker", "none");
        try (ServerProcess server = ServerProcess.start(data, List.of("-Dfeed.native.lib=/nonexistent/libfeednative.so"), args)) {
            assertTrue(server.get("/metrics").body().contains("kernel_backend=\"java\""), "the info metric names the Java kernels");
            assertEquals(200, server.get("/v1/feed?user_id=u1&limit=5").statusCode());
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}

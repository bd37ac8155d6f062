package dev.feedserver.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection-level defences over real sockets: slowloris clients (trickling a header line every
 * 400 ms, never finishing) are answered 408 and dropped at the read timeout while normal clients
 * keep being served; connections past the cap are answered 503 and closed, and the slots come
 * back when clients leave.
 */
class SlowClientsIT {
    private static final int MAX_CONNECTIONS = 40;

    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dataDir, "--users", "200", "--items", "400", "--topics", "8", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker", "none",
                "--request-read-timeout", "PT2S", "--max-connections", Integer.toString(MAX_CONNECTIONS));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void slowlorisConnectionsAreDroppedWhileNormalClientsAreServed() throws Exception {
        int slow = 20;
        ExecutorService pool = Executors.newFixedThreadPool(slow);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < slow; i++) {
                outcomes.add(pool.submit(SlowClientsIT::trickle));
            }
            int served = 0;
            for (int i = 0; i < 20; i++) {
                if (server.get("/v1/feed?user_id=u" + i + "&limit=5").statusCode() == 200) {
                    served++;
                }
                Thread.sleep(50);
            }
            assertEquals(20, served, "normal clients are served while slow ones trickle");
            for (Future<String> outcome : outcomes) {
                String response = outcome.get(20, TimeUnit.SECONDS);
                assertTrue(response.startsWith("HTTP/1.1 408"), response);
                assertTrue(response.contains("request_timeout"), response);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "slow clients dropped near the 2 s timeout, took " + seconds + " s");
            assertTrue(server.get("/metrics").body().contains("feedserver_request_read_timeouts_total " + slow));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connectionsPastTheCapAreRefusedAndSlotsComeBack() throws Exception {
        List<Socket> held = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < MAX_CONNECTIONS + 10; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(300);
                held.add(s);
                String early = readAvailable(s);
                if (early.startsWith("HTTP/1.1 503")) {
                    assertTrue(early.contains("too_many_connections"), early);
                    refused++;
                }
            }
            assertTrue(refused >= 10, "at least the 10 sockets past the cap are refused, got " + refused);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            try {
                status = server.get("/v1/feed?user_id=u1&limit=3").statusCode();
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        assertEquals(200, status, "slots are released when clients disconnect");
    }

    /** Sends a request one header line every 400 ms without ever finishing; returns what the server answered. */
    private static String trickle() throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(100);
            var out = socket.getOutputStream();
            out.write("GET /v1/feed?user_id=u1 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                try {
                    out.write(("X-Slow-" + i + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                if (drain(socket.getInputStream(), received)) {
                    break;
                }
                Thread.sleep(300);
            }
            socket.setSoTimeout(2_000);
            drain(socket.getInputStream(), received);
            return received.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Reads what is there; true at end of stream. */
    private static boolean drain(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                into.write(buffer, 0, n);
            }
            return n < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String readAvailable(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        drain(s.getInputStream(), out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}

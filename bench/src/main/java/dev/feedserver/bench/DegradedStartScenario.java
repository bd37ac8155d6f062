package dev.feedserver.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A part that cannot load at start-up, provoked through a JVM option on the real jar: the
 * native kernel library (a path that does not exist) or MiniLM (DJL cannot extract its
 * tokenizer library: its cache folder is under {@code /proc}). The server must start without
 * it, say so, and serve.
 */
final class DegradedStartScenario implements FaultScenario {
    private final String name;
    private final String fault;
    private final String expected;
    private final String jvmOption;
    private final List<String> args;
    private final String metric;
    private final String logLine;

    private DegradedStartScenario(String name, String fault, String expected, String jvmOption, List<String> args, String metric, String logLine) {
        this.name = name;
        this.fault = fault;
        this.expected = expected;
        this.jvmOption = jvmOption;
        this.args = args;
        this.metric = metric;
        this.logLine = logLine;
    }

    static DegradedStartScenario nativeLibraryMissing() {
        return new DegradedStartScenario("native_library_missing", "the native kernel library cannot be loaded (-Dfeed.native.lib names no file)",
                "the pure-Java kernels serve; a WARN line says why; feedserver_info{kernel_backend=\"java\"}",
                "-Dfeed.native.lib=/nonexistent/libfeednative.so", Context.SMALL, "kernel_backend=\"java\"", "does not name an existing file");
    }

    static DegradedStartScenario miniLmFailing() {
        List<String> args = new ArrayList<>(Context.SMALL.subList(0, 10));
        args.addAll(List.of("--content-encoder", "minilm", "--ranker-queries", "300", "--ranker-epochs", "1", "--ranker-hidden", "32,16"));
        return new DegradedStartScenario("minilm_fails_to_load",
                "MiniLM cannot load (DJL cannot extract its tokenizer library: ENGINE_CACHE_DIR under /proc)",
                "the server runs without content embeddings: an ERROR line, feedserver_content_encoder_load_failures 1, feeds, "
                        + "events and item writes served",
                "-DENGINE_CACHE_DIR=/proc/feedserver-no-such-dir", args, "feedserver_content_encoder_load_failures 1",
                "running WITHOUT content embeddings");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String fault() {
        return fault;
    }

    @Override
    public String expected() {
        return expected;
    }

    @Override
    public void run(Context context, Observations observed) throws Exception {
        try (FaultServer server = FaultServer.start(context.jar(), context.dir().resolve("data"), List.of(), List.of(jvmOption), args,
                context.client())) {
            observed.check(server.get("/metrics").body().contains(metric), "metrics show " + metric);
            observed.check(server.log().contains(logLine), "the log says why ('" + logLine + "')");
            observed.check(server.get("/v1/feed?user_id=u1&limit=5").statusCode() == 200, "feeds answer 200");
            observed.check(server.postUnshed("/v1/events", FaultBatches.body("dg", 0, 5, null)).statusCode() == 202, "events answer 202");
            observed.check(server.put("/v1/items/degraded-1", "{\"title\":\"A new story\",\"text\":\"about gardens\",\"tags\":[\"x\"]}")
                    .statusCode() == 201, "an item put answers 201");
        }
    }
}

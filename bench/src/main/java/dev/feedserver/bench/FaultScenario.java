package dev.feedserver.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;

/**
 * One fault the {@code faults} suite provokes: what is broken, what the server should do, and a
 * run that breaks it and records what the server did. Implementations are stateless; a run
 * gets its own folder.
 */
interface FaultScenario {
    /** Stable identifier in the result file. */
    String name();

    /** The fault, in words. */
    String fault();

    /** The behaviour the run checks. */
    String expected();

    /**
     * Provokes the fault and records every check in {@code observed}.
     *
     * @throws Skipped when this machine cannot provoke it (the reason is recorded)
     */
    void run(Context context, Observations observed) throws Exception;

    /** What a run needs: the server jar, its own empty folder and an HTTP client. */
    record Context(Path jar, Path dir, HttpClient client) {
        /** The small synthetic world every scenario serves: starts in seconds. */
        static final List<String> SMALL = List.of("--users", "200", "--items", "400", "--topics", "8", "--factors", "16",
                "--iterations", "4", "--content-encoder", "hashing", "--ranker", "none", "--checkpoint-interval", "PT0S");
    }

    /** This machine cannot provoke the fault (for example, no root for a small tmpfs). */
    final class Skipped extends Exception {
        Skipped(String reason) {
            super(reason);
        }
    }
}

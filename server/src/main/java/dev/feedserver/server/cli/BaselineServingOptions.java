package dev.feedserver.server.cli;

import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code serve} options that turn the server into the side-by-side baseline, the architecture
 * users would otherwise build: the user vector each feed reads comes from Redis
 * ({@code --user-vectors}), and the ranking model runs in a separate model server reached over
 * HTTP ({@code --remote-ranker}). Retrieval, features, model and response stay the same. Either
 * may be used alone.
 */
public final class BaselineServingOptions {
    @Option(names = "--user-vectors", paramLabel = "redis://HOST:PORT",
            description = "Baseline: read each feed's user vector from this Redis server (loaded at start, updated on every event) instead of the in-process store.")
    URI userVectors;

    @Option(names = "--remote-ranker", paramLabel = "http://HOST:PORT",
            description = "Baseline: score candidates on this model server ('feedserver model-server' serving this ranker exported with export-onnx) instead of in-process int8.")
    URI remoteRanker;

    @Option(names = "--remote-ranker-timeout", defaultValue = "PT10S",
            description = "How long a remote scoring call may take before the feed fails (default ${DEFAULT-VALUE}).")
    Duration remoteRankerTimeout;

    /** A short description for the start-up log. */
    String describe() {
        return "user-vectors=" + (userVectors == null ? "in-process" : userVectors)
                + " ranker=" + (remoteRanker == null ? "in-process" : "remote " + remoteRanker);
    }
}

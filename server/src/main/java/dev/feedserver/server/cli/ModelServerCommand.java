package dev.feedserver.server.cli;

import dev.feedserver.server.baseline.ModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code feedserver model-server}: serves a float ranker graph from {@code export-onnx} over HTTP
 * with ONNX Runtime ({@link ModelServer}), the model-server half of the side-by-side baseline
 * that {@code serve --remote-ranker} calls. Runs until SIGINT/SIGTERM, then closes the sessions.
 */
@Command(name = "model-server", mixinStandardHelpOptions = true,
        description = "Serve a float ranker ONNX model over HTTP with ONNX Runtime (the baseline's model server; see 'serve --remote-ranker').")
public final class ModelServerCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Float ONNX ranker from 'feedserver export-onnx'.")
    Path model;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8500", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", description = "Requests scored at once, each on its own session (default: available processors).")
    Integer threads;

    @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime threads per request (default ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port here once serving (for scripts using --port 0).")
    Path portFile;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a file");
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        ModelServer server = ModelServer.start(Files.readAllBytes(model), host, port, workers, intraOpThreads);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "model-server-shutdown"));
        if (portFile != null) {
            OnnxFiles.writeAtomically(Integer.toString(server.port()).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    portFile);
        }
        System.out.println("model-server listening on http://" + host + ":" + server.port() + " with " + workers + " worker(s): "
                + server.modelInfo());
        System.out.flush();
        stopped.await();
        return 0;
    }
}

package dev.feedserver.server.http;

/**
 * HTTP and threading settings, validated once at start-up.
 *
 * @param host address to bind (default 127.0.0.1)
 * @param port TCP port, 0 picks a free one
 * @param ioThreads Netty event-loop threads
 * @param workers request worker threads
 * @param queueCapacity requests that may wait for a worker before new ones get 503
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param maxHeaderBytes largest header block accepted (431 beyond)
 * @param maxEventsPerBatch most events in one POST /v1/events
 * @param idleTimeoutSeconds connections idle this long are closed
 * @param maxQueueWaitMillis a request that waited this long for a worker is answered 503 unrun
 */
public record HttpConfig(String host, int port, int ioThreads, int workers, int queueCapacity, int maxBodyBytes,
                         int maxHeaderBytes, int maxEventsPerBatch, int idleTimeoutSeconds, int maxQueueWaitMillis) {
    public HttpConfig {
        check(host != null && !host.isBlank(), "host must not be empty");
        check(port >= 0 && port <= 65_535, "port must be in [0, 65535], got " + port);
        check(ioThreads >= 1 && ioThreads <= 64, "io-threads must be in [1, 64], got " + ioThreads);
        check(workers >= 1 && workers <= 256, "workers must be in [1, 256], got " + workers);
        check(queueCapacity >= 1 && queueCapacity <= 100_000, "queue must be in [1, 100000], got " + queueCapacity);
        check(maxBodyBytes >= 1_024 && maxBodyBytes <= 64 << 20, "max-body-bytes must be in [1024, 67108864], got " + maxBodyBytes);
        check(maxHeaderBytes >= 1_024 && maxHeaderBytes <= 1 << 20, "max-header-bytes must be in [1024, 1048576], got " + maxHeaderBytes);
        check(maxEventsPerBatch >= 1 && maxEventsPerBatch <= 100_000, "max-batch must be in [1, 100000], got " + maxEventsPerBatch);
        check(idleTimeoutSeconds >= 1 && idleTimeoutSeconds <= 3_600, "idle-timeout must be in [1, 3600], got " + idleTimeoutSeconds);
        check(maxQueueWaitMillis >= 1 && maxQueueWaitMillis <= 60_000, "max-queue-wait-ms must be in [1, 60000], got " + maxQueueWaitMillis);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

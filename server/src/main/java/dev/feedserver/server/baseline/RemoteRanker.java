package dev.feedserver.server.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.rank.FeatureAssembler;
import dev.feedserver.ranking.rank.HeadCalibration;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.Ranker;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RequestFeatures;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;

/**
 * The side-by-side baseline's ranker: the feed service assembles the same features as the
 * in-process ranker ({@link FeatureAssembler}, the same request), writes each candidate's dense
 * row ({@link FeatureAssembler#writeDense}, the schema's full width), and sends the batch to a
 * separate model server ({@link ModelServer}, ONNX Runtime float) in one {@code POST}
 * ({@link ScoringProtocol}); the head logits that come back are calibrated and combined exactly
 * as {@code FloatRanker} and {@code Int8Ranker} combine theirs. This is how a feed service
 * calls Triton or TF-Serving: one network round trip and one dense tensor per request.
 *
 * <p>The client is the JDK's {@link HttpURLConnection} (keep-alive, fixed-length streaming):
 * the JDK's asynchronous {@code HttpClient} spends about four times as much CPU moving a
 * 35 MB body over loopback, which would charge the baseline for our choice of client rather
 * than for its architecture.
 *
 * <p>Threading: thread-safe; each thread reuses its own request and answer buffers (sized by
 * the largest batch it has sent) and takes a kept-alive connection per call. Lifecycle:
 * {@link #connect} checks the server serves this model; {@link #close} has nothing to free.
 */
public final class RemoteRanker implements Ranker {
    private final RankerModel model;
    private final FeatureAssembler assembler;
    private final URI scoreUri;
    private final int timeoutMillis;
    private final int width;
    private final ThreadLocal<Buffers> buffers;

    private RemoteRanker(RankerModel model, FeedModel feed, URI base, Duration timeout) {
        this.model = model;
        this.assembler = new FeatureAssembler(model.schema(), feed);
        this.scoreUri = base.resolve(ScoringProtocol.SCORE);
        this.timeoutMillis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        this.width = model.schema().width();
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(width));
    }

    /**
     * A ranker for {@code model} that scores on the model server at {@code base}
     * ({@code http://HOST:PORT}), after checking that server serves the same version and
     * feature schema.
     *
     * @throws IllegalStateException if the server cannot be reached or serves another model
     */
    public static RemoteRanker connect(RankerModel model, FeedModel feed, URI base, Duration timeout) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 1) {
            throw new IllegalArgumentException("--remote-ranker must be http://HOST:PORT, got " + base);
        }
        JsonNode info;
        try {
            HttpURLConnection c = open(base.resolve(ScoringProtocol.MODEL), Math.toIntExact(Math.max(1, timeout.toMillis())));
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("model server at " + base + " answered GET " + ScoringProtocol.MODEL + " with "
                        + c.getResponseCode());
            }
            try (InputStream in = c.getInputStream()) {
                info = Json.MAPPER.readTree(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the model server at " + base + ": " + e, e);
        }
        String version = info.path("version").asText();
        String schema = info.path("feature_schema").asText();
        if (!model.version().equals(version) || !model.schema().id().equals(schema)
                || info.path("width").asInt() != model.schema().width() || info.path("outputs").asInt() != Objective.COUNT) {
            throw new IllegalStateException("the model server at " + base + " serves " + info + " but this server ranks with "
                    + model.version() + " over " + model.schema().id() + " (" + model.schema().width() + " features, "
                    + Objective.COUNT + " heads); export this model with export-onnx and serve that file");
        }
        return new RemoteRanker(model, feed, base, timeout);
    }

    @Override
    public RankerModel model() {
        return model;
    }

    @Override
    public FeatureAssembler assembler() {
        return assembler;
    }

    @Override
    public void score(RequestFeatures r, int[] items, int n, ObjectiveWeights weights, HeadCalibration calibration,
                      float[] scores, float[] logits) {
        if (n == 0) {
            return;
        }
        Buffers b = buffers.get();
        int bytes = b.fill(assembler, r, items, n);
        float[] heads = b.heads(n);
        post(b.request, bytes, heads, n);
        for (int i = 0; i < n; i++) {
            scores[i] = calibration.combine(weights, heads, i * Objective.COUNT);
        }
        if (logits != null) {
            System.arraycopy(heads, 0, logits, 0, n * Objective.COUNT);
        }
    }

    private void post(byte[] body, int bytes, float[] heads, int n) {
        int expected = n * Objective.COUNT * Float.BYTES;
        try {
            HttpURLConnection c = open(scoreUri, timeoutMillis);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", ScoringProtocol.OCTETS);
            c.setFixedLengthStreamingMode(bytes);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body, 0, bytes);
            }
            int status = c.getResponseCode();
            if (status != 200) {
                String message;
                try (InputStream err = c.getErrorStream()) {
                    message = err == null ? "" : new String(err.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                }
                throw new IllegalStateException("model server " + scoreUri + " answered " + status + " for " + n + " rows: " + message);
            }
            byte[] answer;
            try (InputStream in = c.getInputStream()) {
                answer = in.readAllBytes(); // read to the end, so the connection goes back to the keep-alive cache
            }
            if (answer.length != expected) {
                throw new IllegalStateException("model server " + scoreUri + " answered " + answer.length + " bytes for " + n
                        + " rows (expected " + expected + ")");
            }
            ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(heads, 0, n * Objective.COUNT);
        } catch (IOException e) {
            throw new UncheckedIOException("model server " + scoreUri + " failed: " + e.getMessage(), e);
        }
    }

    private static HttpURLConnection open(URI uri, int timeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setUseCaches(false);
        return c;
    }

    @Override
    public void close() {
        // Connections belong to the JDK's keep-alive cache; nothing is held here.
    }

    /** One thread's dense rows (as the request body) and head logits. Not thread-safe. */
    private static final class Buffers {
        private final float[] row;
        private byte[] request = new byte[0];
        private float[] heads = new float[0];

        Buffers(int width) {
            row = new float[width];
        }

        /** Writes the n dense rows into the request body; returns its length in bytes. */
        int fill(FeatureAssembler assembler, RequestFeatures r, int[] items, int n) {
            int bytes = Math.multiplyExact(Math.multiplyExact(n, row.length), Float.BYTES);
            if (request.length < bytes) {
                request = new byte[bytes];
            }
            FloatBuffer out = ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0; i < n; i++) {
                assembler.writeDense(r, items[i], i, row, 0);
                out.put(row);
            }
            return bytes;
        }

        float[] heads(int n) {
            if (heads.length < n * Objective.COUNT) {
                heads = new float[n * Objective.COUNT];
            }
            return heads;
        }
    }
}

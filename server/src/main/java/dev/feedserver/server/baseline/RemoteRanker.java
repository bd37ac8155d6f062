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
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * <p>Threading: thread-safe; each thread reuses its own request and answer buffers (sized by
 * the largest batch it has sent). Lifecycle: {@link #connect} checks the server serves this
 * model; {@link #close} releases nothing but the HTTP client's connections.
 */
public final class RemoteRanker implements Ranker {
    private final RankerModel model;
    private final FeatureAssembler assembler;
    private final URI scoreUri;
    private final HttpClient client;
    private final Duration timeout;
    private final int width;
    private final ThreadLocal<Buffers> buffers;

    private RemoteRanker(RankerModel model, FeedModel feed, URI base, HttpClient client, Duration timeout) {
        this.model = model;
        this.assembler = new FeatureAssembler(model.schema(), feed);
        this.scoreUri = base.resolve(ScoringProtocol.SCORE);
        this.client = client;
        this.timeout = timeout;
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
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        JsonNode info;
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve(ScoringProtocol.MODEL)).timeout(timeout)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("model server at " + base + " answered GET " + ScoringProtocol.MODEL + " with "
                        + response.statusCode());
            }
            info = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the model server at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the model server at " + base + " for its model", e);
        }
        String version = info.path("version").asText();
        String schema = info.path("feature_schema").asText();
        if (!model.version().equals(version) || !model.schema().id().equals(schema)
                || info.path("width").asInt() != model.schema().width() || info.path("outputs").asInt() != Objective.COUNT) {
            throw new IllegalStateException("the model server at " + base + " serves " + info + " but this server ranks with "
                    + model.version() + " over " + model.schema().id() + " (" + model.schema().width() + " features, "
                    + Objective.COUNT + " heads); export this model with export-onnx and serve that file");
        }
        return new RemoteRanker(model, feed, base, client, timeout);
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
        HttpRequest request = HttpRequest.newBuilder(scoreUri).timeout(timeout).header("Content-Type", ScoringProtocol.OCTETS)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, bytes)).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("model server " + scoreUri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model server " + scoreUri, e);
        }
        int expected = n * Objective.COUNT * Float.BYTES;
        if (response.statusCode() != 200 || response.body().length != expected) {
            throw new IllegalStateException("model server " + scoreUri + " answered " + response.statusCode() + " with "
                    + response.body().length + " bytes for " + n + " rows (expected 200 with " + expected + ")");
        }
        ByteBuffer.wrap(response.body()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(heads, 0, n * Objective.COUNT);
    }

    @Override
    public void close() {
        client.close();
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

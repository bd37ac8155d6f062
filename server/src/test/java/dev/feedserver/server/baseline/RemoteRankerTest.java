package dev.feedserver.server.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.onnx.mlp.RankerOnnx;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.feed.FeedConfig;
import dev.feedserver.ranking.feed.FeedModel;
import dev.feedserver.ranking.feed.FeedPipeline;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.FloatRanker;
import dev.feedserver.ranking.rank.HeadCalibration;
import dev.feedserver.ranking.rank.Objective;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RequestFeatures;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The baseline's remote ranker against the in-process float reference: the same model,
 * exported with the ONNX exporter and served by {@link ModelServer} over loopback HTTP, scores
 * the same candidates of real requests to the same logits and combined scores as
 * {@link FloatRanker} (float summation order aside), so the baseline ranks exactly what the
 * in-process server ranks. Also: the ranker refuses a server that serves another model, and
 * the server refuses bodies that are not whole rows.
 */
class RemoteRankerTest {
    private static FeedModel model;
    private static Dataset world;
    private static RankerModel rankerModel;
    private static ModelServer server;

    @BeforeAll
    static void start() throws Exception {
        world = SyntheticWorld.generate(new SyntheticWorldSpec(5, 300, 900, 8, 20), n -> { });
        Factors factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(8, 3, 0.1f, 5f, 1), n -> { });
        model = ModelTrainer.build(world, world.interactions(), factors, FeedConfig.DEFAULT, UserStoreConfig.forUsers(300), true);
        ItemContent content = new ItemContent(new HashingTextEncoder(32));
        model.useContent(content);
        int[] rows = new int[model.catalog().size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        content.embed(model.catalog(), rows, n -> { });
        FeatureSchema schema = FeatureSchema.standard(8, 32, model.clusters().clusters());
        rankerModel = RankerModel.initialise(schema, 32, 16, 7, "remote-test-1");
        server = ModelServer.start(RankerOnnx.exportFloat(rankerModel), "127.0.0.1", 0, 2, 1);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    private static URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void remoteScoresMatchTheInProcessFloatRankerOnTheSameCandidates() {
        FeedPipeline pipeline = new FeedPipeline(model, FeedConfig.DEFAULT);
        ObjectiveWeights weights = ObjectiveWeights.DEFAULT;
        HeadCalibration calibration = new HeadCalibration(new float[] {1.2f, 0.8f, 1f, 1.1f}, new float[] {0.1f, -0.2f, 0f, 0.3f});
        try (FloatRanker reference = new FloatRanker(rankerModel, model);
             RemoteRanker remote = RemoteRanker.connect(rankerModel, model, base(), Duration.ofSeconds(10))) {
            int compared = 0;
            for (int u = 0; u < 6; u++) {
                String user = world.userIds().get(u * 37);
                FeedPipeline.Retrieved retrieved = pipeline.retrieve(user);
                int n = retrieved.count();
                int[] items = retrieved.items().clone();
                RequestFeatures features = reference.assembler().newRequest(n);
                reference.assembler().loadRequest(features, user, retrieved.longTermVector(), retrieved.sessionVector(), 1_700_000_000_000L);
                reference.assembler().writeCandidates(features, items, retrieved.sources(), n);
                float[] expectedScores = new float[n];
                float[] expectedLogits = new float[n * Objective.COUNT];
                reference.score(features, items, n, weights, calibration, expectedScores, expectedLogits);
                float[] scores = new float[n];
                float[] logits = new float[n * Objective.COUNT];
                remote.score(features, items, n, weights, calibration, scores, logits);
                for (int i = 0; i < n * Objective.COUNT; i++) {
                    assertEquals(expectedLogits[i], logits[i], 2e-4f + 1e-4f * Math.abs(expectedLogits[i]), "logit " + i + " of " + user);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(expectedScores[i], scores[i], 1e-4f, "score " + i + " of " + user);
                }
                compared += n;
            }
            assertTrue(compared > 500, "compared " + compared + " candidates");
        }
    }

    @Test
    void aServerWithAnotherModelIsRefused() {
        RankerModel other = rankerModel.withVersion("remote-test-2", ObjectiveWeights.DEFAULT);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RemoteRanker.connect(other, model, base(), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("remote-test-1") && e.getMessage().contains("remote-test-2"), e.getMessage());
    }

    @Test
    void aBodyThatIsNotWholeRowsIsABadRequest() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base().resolve(ScoringProtocol.SCORE))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[12])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode());
            assertTrue(response.body().contains("rows of " + rankerModel.schema().width()), response.body());
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(base().resolve(ScoringProtocol.SCORE)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
        }
    }
}

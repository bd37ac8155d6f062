package dev.feedserver.ranking.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Dataset;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.data.SyntheticWorld;
import dev.feedserver.ranking.data.SyntheticWorldSpec;
import dev.feedserver.ranking.retrieval.ContentNeighbours;
import dev.feedserver.ranking.retrieval.TopK;
import dev.feedserver.ranking.train.AlsConfig;
import dev.feedserver.ranking.train.Factors;
import dev.feedserver.ranking.train.ModelTrainer;
import dev.feedserver.ranking.users.UserStoreConfig;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new item's first vector from its content neighbours ({@link ContentColdStart} through
 * {@link FeedModel#upsertItem}), on a small trained synthetic world whose item titles name their
 * topic, embedded with the deterministic {@link HashingTextEncoder}.
 */
class ContentColdStartTest {
    private static final int TOPICS = 8;
    private static final int ITEMS = 1_600;
    private static final int JAZZ = 3;
    private static final int COOKING = 0;
    private static Dataset world;
    private static Factors factors;

    @BeforeAll
    static void train() {
        world = SyntheticWorld.generate(new SyntheticWorldSpec(7, 400, ITEMS, TOPICS, 30), n -> { });
        factors = ModelTrainer.train(world, world.interactions(), new AlsConfig(16, 6, 0.1f, 10f, 1), n -> { });
    }

    /** A model of the world; with content embedded by a hashing encoder unless {@code encoder} is false. */
    private static FeedModel model(boolean encoder, ColdStartConfig coldStart) {
        FeedConfig config = FeedConfig.DEFAULT.withClustersAndIndex(8, IndexConfig.DEFAULT).withColdStart(coldStart);
        FeedModel model = ModelTrainer.build(world, world.interactions(), factors, config, UserStoreConfig.forUsers(400), true);
        if (encoder) {
            ItemContent content = new ItemContent(new HashingTextEncoder(256));
            model.useContent(content);
            int[] rows = new int[model.catalog().size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            content.embed(model.catalog(), rows, n -> { });
        }
        return model;
    }

    private static float[] vector(FeedModel model, int row) {
        float[] v = new float[model.dim()];
        model.catalog().vectors().read(row, v);
        return v;
    }

    /** Mean learned vector of the topic's items, computed here from the catalogue (the tag centroid's definition). */
    private static float[] topicMean(FeedModel model, int topic) {
        ItemCatalog catalog = model.catalog();
        double[] sum = new double[model.dim()];
        int n = 0;
        for (int row = 0; row < ITEMS; row++) {
            if (catalog.isLearned(row) && catalog.item(row).tags().contains(SyntheticWorld.topicName(topic))) {
                float[] v = vector(model, row);
                for (int j = 0; j < v.length; j++) {
                    sum[j] += v[j];
                }
                n++;
            }
        }
        float[] mean = new float[sum.length];
        for (int j = 0; j < mean.length; j++) {
            mean[j] = (float) (sum[j] / n);
        }
        return mean;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Whether {@code row} is among the {@code k} best items of interest retrieval for {@code query}. */
    private static boolean retrieved(FeedModel model, float[] query, int k, int row) {
        TopK top = new TopK(k);
        model.interest().search(query, item -> false, top);
        int[] rows = new int[k];
        int n = top.drainDescending(rows, new float[k]);
        for (int i = 0; i < n; i++) {
            if (rows[i] == row) {
                return true;
            }
        }
        return false;
    }

    private static Item jazzTextWithCookingTag(String id) {
        return new Item(id, "The quiet saxophone: a jazz story", "A late swing quartet, saxophone solo and groove",
                List.of(SyntheticWorld.topicName(COOKING)), 1L);
    }

    @Test
    void anItemWhoseTextMatchesATopicStartsNearItDespiteAMisleadingTag() {
        try (FeedModel model = model(true, ColdStartConfig.DEFAULT)) {
            Item item = jazzTextWithCookingTag("misfiled");
            float[] tagOnly = model.catalog().tagCentroid(item.tags());
            int row = model.upsertItem(item);
            float[] started = vector(model, row);
            float[] jazz = topicMean(model, JAZZ);
            double withContent = cosine(started, jazz);
            double withTagsOnly = cosine(tagOnly, jazz);
            assertTrue(withContent > withTagsOnly + 0.2,
                    "content neighbours pull the item toward jazz: cosine " + withContent + " vs tag centroid " + withTagsOnly);

            // A user of that topic: the jazz items' mean direction. Interest retrieval asked for as
            // many items as the topic has finds the content-started item, not its tag-started twin.
            int k = ITEMS / TOPICS;
            assertTrue(retrieved(model, jazz, k, row), "interest retrieval for a jazz user finds the item");
            try (FeedModel tagsOnly = model(false, ColdStartConfig.DEFAULT)) {
                int twin = tagsOnly.upsertItem(item);
                assertArrayEquals(tagOnly, vector(tagsOnly, twin), "without an encoder: the tag centroid");
                assertFalse(retrieved(tagsOnly, jazz, k, twin), "the tag-started twin is not among the jazz user's items");
            }
        }
    }

    @Test
    void withoutTagsTheContentPartAlone() {
        try (FeedModel model = model(true, ColdStartConfig.DEFAULT)) {
            Item item = new Item("untagged", "The quiet saxophone: a jazz story", "A late swing quartet", List.of(), 1L);
            int row = model.upsertItem(item);
            float[] started = vector(model, row);
            assertTrue(cosine(started, topicMean(model, JAZZ)) > 0.8, "an untagged item starts inside its content's topic");
        }
    }

    @Test
    void withoutAnEncoderOrWithColdStartOffANewItemStartsAtItsTagCentroidAsBefore() {
        for (boolean encoder : new boolean[] {false, true}) {
            ColdStartConfig config = encoder ? ColdStartConfig.OFF : ColdStartConfig.DEFAULT;
            try (FeedModel model = model(encoder, config)) {
                int row = model.upsertItem(jazzTextWithCookingTag("plain"));
                assertArrayEquals(topicMean(model, COOKING), vector(model, row), 1e-6f, "tag centroid, encoder " + encoder);
                int unknown = model.upsertItem(new Item("unknown-tag", "The quiet saxophone: a jazz story", "", List.of("no-such-tag"), 1L));
                assertArrayEquals(new float[model.dim()], vector(model, unknown), "no known tag: the zero vector, encoder " + encoder);
            }
        }
    }

    @Test
    void aReplacedItemKeepsItsVectorAndGetsItsNewTextEmbedded() {
        try (FeedModel model = model(true, ColdStartConfig.DEFAULT)) {
            Item learned = world.items().get(11);
            int row = model.catalog().rowOf(learned.id());
            assertTrue(model.catalog().isLearned(row));
            float[] before = vector(model, row);
            Item rewritten = new Item(learned.id(), "The quiet saxophone: a jazz story", "swing quartet", List.of("jazz"), 1L);
            assertEquals(row, model.upsertItem(rewritten));
            assertArrayEquals(before, vector(model, row), "a learned item keeps its vector when replaced");

            int cold = model.upsertItem(jazzTextWithCookingTag("put-twice"));
            float[] first = vector(model, cold);
            model.upsertItem(new Item("put-twice", "The golden pasta: a cooking story", "", List.of("cooking"), 2L));
            assertArrayEquals(first, vector(model, cold), "a second PUT does not choose a new vector");
            float[] embedding = new float[model.content().dimension()];
            model.content().read(cold, embedding, 0);
            assertArrayEquals(model.content().encode(model.catalog().item(cold)), embedding, "the new text is embedded");
        }
    }

    @Test
    void aColdContentNeighbourIsNeverUsed() {
        try (FeedModel model = model(true, ColdStartConfig.DEFAULT)) {
            // The first item's text matches no learned item; it starts at the cooking centroid.
            String text = "Zebra quantum marmalade";
            int first = model.upsertItem(new Item("odd-1", text, "", List.of(SyntheticWorld.topicName(COOKING)), 1L));
            assertFalse(model.catalog().isLearned(first));
            // The second has the same text, so its only close content neighbour is the first, a cold item.
            Item second = new Item("odd-2", text, "", List.of(), 1L);
            float[] embedding = model.content().encode(second);
            ContentNeighbours.Result any = new ContentNeighbours().nearest(model.content(), embedding,
                    model.catalog().size(), 1, 0.3f, r -> true);
            assertEquals(1, any.count());
            assertEquals(first, any.rows()[0], "the cold item is the nearest by content");
            int row = model.upsertItem(second);
            assertArrayEquals(new float[model.dim()], vector(model, row),
                    "no learned neighbour and no tag: the zero vector, not the cold neighbour's");
        }
    }

    @Test
    void aRevivedColdItemStartsAgainFromItsContentButARevivedLearnedItemKeepsItsVector() {
        try (FeedModel model = model(true, ColdStartConfig.DEFAULT)) {
            int cold = model.upsertItem(new Item("revived", "Zebra quantum marmalade", "", List.of("cooking"), 1L));
            model.removeItem("revived");
            assertEquals(cold, model.upsertItem(jazzTextWithCookingTag("revived")));
            assertTrue(cosine(vector(model, cold), topicMean(model, JAZZ)) > cosine(topicMean(model, COOKING), topicMean(model, JAZZ)) + 0.2,
                    "revived with jazz text: starts nearer jazz");

            Item learned = world.items().get(12);
            int row = model.catalog().rowOf(learned.id());
            float[] before = vector(model, row);
            model.removeItem(learned.id());
            model.upsertItem(jazzTextWithCookingTag(learned.id()));
            assertArrayEquals(before, vector(model, row), "a learned item keeps its vector when revived");
        }
    }

    @Test
    void aCatalogueAboveTheScanLimitFallsBackToTheTagCentroid() {
        try (FeedModel model = model(true, new ColdStartConfig(10, 0.3f, 0.5f, ITEMS - 1))) {
            int row = model.upsertItem(jazzTextWithCookingTag("too-many"));
            assertArrayEquals(topicMean(model, COOKING), vector(model, row), 1e-6f);
        }
    }

    @Test
    void configRejectsValuesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(-1, 0.3f, 0.5f, 10));
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(10, 0f, 0.5f, 10));
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(10, 1.5f, 0.5f, 10));
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(10, 0.3f, 1.5f, 10));
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(10, 0.3f, Float.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new ColdStartConfig(10, 0.3f, 0.5f, -1));
        assertFalse(ColdStartConfig.OFF.enabled());
        assertTrue(ColdStartConfig.DEFAULT.enabled());
    }
}

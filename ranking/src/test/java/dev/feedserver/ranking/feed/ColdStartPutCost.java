package dev.feedserver.ranking.feed;

import dev.feedserver.embeddings.store.StorageType;
import dev.feedserver.ranking.catalog.ItemCatalog;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.HashingTextEncoder;
import dev.feedserver.ranking.data.Item;
import dev.feedserver.ranking.retrieval.ContentNeighbours;
import dev.feedserver.ranking.users.UserProfiles;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: measures what content cold start adds to one {@link FeedModel#upsertItem} (a
 * {@code PUT /v1/items}) at a given catalogue size, for docs/retrieval.md. Items are random
 * 32-dimensional learned vectors around 64 topics, with titles drawn from per-topic words and
 * 384-wide content embeddings (the MiniLM width) from {@link HashingTextEncoder}; the encoder call
 * itself is not what is measured (MiniLM's cost is in docs/content.md).
 *
 * <p>Run after {@code package}: {@code java -cp <ranking test classpath>
 * dev.feedserver.ranking.feed.ColdStartPutCost 5000 100000}. Prints, per size, the median and
 * 99th percentile of a whole upsertItem with and without content cold start and of the
 * neighbour scan alone, over 400 new items after 200 warm-up ones.
 */
public final class ColdStartPutCost {
    private static final int DIM = 32;
    private static final int TOPICS = 64;
    private static final int WARM_UP = 200;
    private static final int TIMED = 400;

    private ColdStartPutCost() {
    }

    public static void main(String[] args) {
        for (String arg : args.length == 0 ? new String[] {"5000", "100000"} : args) {
            measure(Integer.parseInt(arg));
        }
    }

    private static void measure(int items) {
        for (ColdStartConfig config : new ColdStartConfig[] {ColdStartConfig.OFF, ColdStartConfig.DEFAULT}) {
            SplittableRandom random = new SplittableRandom(1);
            float[][] topics = new float[TOPICS][DIM];
            for (float[] topic : topics) {
                for (int j = 0; j < DIM; j++) {
                    topic[j] = (float) random.nextGaussian();
                }
            }
            ItemCatalog catalog = new ItemCatalog(DIM);
            float[] vector = new float[DIM];
            for (int i = 0; i < items; i++) {
                int topic = i % TOPICS;
                for (int j = 0; j < DIM; j++) {
                    vector[j] = topics[topic][j] + 0.5f * (float) random.nextGaussian();
                }
                int row = catalog.upsert(item("i" + i, topic, random), vector);
                catalog.vectors().setInteractions(row, 1, 0L);
            }
            UserProfiles users = new UserProfiles(DIM, StorageType.F32, 1_024, 16);
            FeedConfig feed = FeedConfig.DEFAULT.withColdStart(config);
            try (FeedModel model = new FeedModel(catalog, users, feed)) {
                model.setBackgroundRebuilds(false);
                ItemContent content = new ItemContent(new HashingTextEncoder(384));
                model.useContent(content);
                int[] rows = new int[items];
                Arrays.setAll(rows, i -> i);
                content.embed(catalog, rows, n -> { });
                long[] put = new long[TIMED];
                long[] scan = new long[TIMED];
                ContentNeighbours neighbours = new ContentNeighbours();
                for (int i = 0; i < WARM_UP + TIMED; i++) {
                    Item item = item("new-" + i, i % TOPICS, random);
                    long start = System.nanoTime();
                    model.upsertItem(item);
                    long putNanos = System.nanoTime() - start;
                    float[] embedding = content.encode(item);
                    start = System.nanoTime();
                    neighbours.nearest(content, embedding, catalog.size(), 10, 0.3f, catalog::isLearned);
                    long scanNanos = System.nanoTime() - start;
                    if (i >= WARM_UP) {
                        put[i - WARM_UP] = putNanos;
                        scan[i - WARM_UP] = scanNanos;
                    }
                }
                Arrays.sort(put);
                Arrays.sort(scan);
                System.out.printf(Locale.ROOT, "%,d items, cold start %s: upsertItem p50 %.0f us p99 %.0f us; neighbour scan p50 %.0f us p99 %.0f us; off-heap codes %.1f MB%n",
                        items, config.enabled() ? "on " : "off", put[TIMED / 2] / 1e3, put[TIMED * 99 / 100] / 1e3,
                        scan[TIMED / 2] / 1e3, scan[TIMED * 99 / 100] / 1e3, content.offHeapBytes() / 1e6);
            }
        }
    }

    private static final String[] WORDS = {"river", "engine", "garden", "market", "planet", "castle", "violin", "harbour",
        "forest", "circuit", "canvas", "mountain", "glacier", "recipe", "stadium", "theory"};

    /** A title naming the topic and two of its words, plus a body sentence. */
    private static Item item(String id, int topic, SplittableRandom random) {
        String a = WORDS[(topic + random.nextInt(3)) % WORDS.length];
        String b = WORDS[(topic * 7 + random.nextInt(3)) % WORDS.length];
        return new Item(id, "The " + a + " of topic" + topic, "A story about " + b + " and " + a + " in topic" + topic,
                List.of("topic" + topic), 0L);
    }
}

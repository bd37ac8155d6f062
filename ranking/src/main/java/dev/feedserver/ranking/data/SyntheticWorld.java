package dev.feedserver.ranking.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Generates a deterministic synthetic world from a {@link SyntheticWorldSpec}: users with latent
 * interests over topics, items with a topic, a title and a creation time, and an interaction
 * history drawn from a click model.
 *
 * <p>The hidden truth (interests, item appeal) is used only to draw the history; it is not
 * returned, so nothing downstream can learn from anything but the interactions.
 *
 * <p>Click model: each impression picks a topic (the user's interests with probability 0.8,
 * otherwise uniform), then an item of that topic with probability proportional to its appeal
 * (Zipf-like within the topic). The impression becomes a click with probability
 * {@code sigmoid(4 * interest(topic) + appeal - 1.5)}, so users click their own topics and
 * appealing items more. Clicks happen after the item was created, within the last 90 days.
 *
 * <p>Stateless; {@link #generate} is safe to call from any thread.
 */
public final class SyntheticWorld {
    /** Fixed "now" of the synthetic world so that generation is reproducible: 2026-01-01T00:00Z. */
    public static final long EPOCH_END_MILLIS = 1_767_225_600_000L;
    private static final long WINDOW_MILLIS = 90L * 24 * 3600 * 1000;

    private SyntheticWorld() {
    }

    /** Generates the world; {@code progress} receives the number of users done so far. */
    public static Dataset generate(SyntheticWorldSpec spec, LongConsumer progress) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        int topics = spec.topics();

        int[] itemTopic = new int[spec.items()];
        double[] appeal = new double[spec.items()];
        long[] createdAt = new long[spec.items()];
        List<Item> items = new ArrayList<>(spec.items());
        int[] perTopic = new int[topics];
        for (int i = 0; i < spec.items(); i++) {
            int topic = i % topics;
            itemTopic[i] = topic;
            int rankInTopic = perTopic[topic]++;
            appeal[i] = 1.0 / Math.pow(rankInTopic + 1, 0.6) + 0.3 * random.nextDouble();
            createdAt[i] = EPOCH_END_MILLIS - (long) (random.nextDouble() * WINDOW_MILLIS);
            String topicName = TopicVocabulary.topicName(topic);
            items.add(new Item("i" + i, TopicVocabulary.title(topic, random), "", List.of(topicName), createdAt[i]));
        }
        int[][] topicItems = new int[topics][];
        double[][] topicCumulative = new double[topics][];
        for (int t = 0; t < topics; t++) {
            topicItems[t] = new int[perTopic[t]];
            topicCumulative[t] = new double[perTopic[t]];
        }
        int[] fill = new int[topics];
        for (int i = 0; i < spec.items(); i++) {
            int t = itemTopic[i];
            int k = fill[t]++;
            topicItems[t][k] = i;
            topicCumulative[t][k] = (k == 0 ? 0 : topicCumulative[t][k - 1]) + appeal[i];
        }

        List<String> userIds = new ArrayList<>(spec.users());
        Interactions interactions = new Interactions((int) Math.min(Integer.MAX_VALUE - 8, (long) spec.users() * spec.meanInteractions()));
        double[] interest = new double[topics];
        // Ratings come from their own stream so that adding them left the world itself unchanged.
        SplittableRandom ratingRandom = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
        for (int u = 0; u < spec.users(); u++) {
            userIds.add("u" + u);
            drawInterests(random, interest);
            int clicks = 1 + (int) (-Math.log(1 - random.nextDouble()) * (spec.meanInteractions() - 1));
            int attempts = 0;
            for (int c = 0; c < clicks && attempts < clicks * 50; attempts++) {
                int topic = random.nextDouble() < 0.8 ? pick(interest, random) : random.nextInt(topics);
                int item = topicItems[topic][pickCumulative(topicCumulative[topic], random)];
                double p = 1.0 / (1.0 + Math.exp(-(4.0 * interest[topic] + appeal[item] - 1.5)));
                if (random.nextDouble() < p) {
                    long span = Math.max(1, EPOCH_END_MILLIS - createdAt[item]);
                    interactions.add(u, item, createdAt[item] + (long) (random.nextDouble() * span),
                            rating(interest[topic], appeal[item], ratingRandom));
                    c++;
                }
            }
            if ((u & 1023) == 1023 || u == spec.users() - 1) {
                progress.accept(u + 1);
            }
        }
        String name = "synthetic(seed=" + spec.seed() + ",users=" + spec.users() + ",items=" + spec.items() + ",topics=" + topics + ")";
        return new Dataset(name, userIds, items, interactions);
    }

    /** Name of a topic as used in item tags. */
    public static String topicName(int topic) {
        return TopicVocabulary.topicName(topic);
    }

    /**
     * The hidden satisfaction of one interaction as MovieLens-style stars (1..5 in halves):
     * stronger topic interest and a more appealing item rate higher, with noise, so a ranker can
     * learn "like" and "dislike" apart from "clicked".
     */
    static float rating(double interest, double appeal, SplittableRandom random) {
        double satisfaction = 3.0 * interest + appeal - 0.9 + 0.6 * random.nextGaussian();
        double stars = 1.0 + 4.0 / (1.0 + Math.exp(-2.0 * satisfaction));
        return (float) (Math.round(stars * 2.0) / 2.0);
    }

    /** One to three favourite topics carrying most of the mass, the rest spread thinly. */
    private static void drawInterests(SplittableRandom random, double[] interest) {
        java.util.Arrays.fill(interest, 0.02 / interest.length);
        int favourites = 1 + random.nextInt(Math.min(3, interest.length));
        for (int f = 0; f < favourites; f++) {
            interest[random.nextInt(interest.length)] += 0.98 / favourites;
        }
    }

    private static int pick(double[] weights, SplittableRandom random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static int pickCumulative(double[] cumulative, SplittableRandom random) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        int index = java.util.Arrays.binarySearch(cumulative, x);
        return Math.min(cumulative.length - 1, index >= 0 ? index : -index - 1);
    }
}

package dev.feedserver.bench.agents;

import dev.feedserver.generation.orchestration.Audience;
import dev.feedserver.generation.orchestration.Brief;
import dev.feedserver.generation.orchestration.ContentFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The briefs both systems run: a deterministic mix (by seed) of topics (each of 16 once before
 * any repeats), the formats STORY, NARRATED and VIDEO in turn, one or two required keywords from
 * words the story model knows, and story lengths of 30 to 50 words at least and 120 to 160 at
 * most; children's audience, a 512-token budget.
 *
 * <p>Threading and lifecycle: stateless; all methods are static.
 */
public final class BenchBriefs {

    private static final List<String> TOPICS = List.of("ocean", "garden", "space", "music", "forest", "snow", "farm",
            "castle", "rain", "park", "train", "birthday", "beach", "school", "zoo", "kitchen");
    private static final List<String> KEYWORDS = List.of("ball", "dog", "cat", "tree", "cake", "toy", "bird", "sun",
            "boat", "flower", "car", "fish");

    private BenchBriefs() {
    }

    /** {@code n} briefs drawn with {@code seed}; the formats alternate so both are equally represented. */
    public static List<Brief> mix(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one brief (got " + n + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> topics = new ArrayList<>(TOPICS);
        for (int i = topics.size() - 1; i > 0; i--) { // a seeded shuffle: every topic before any repeats
            Collections.swap(topics, i, random.nextInt(i + 1));
        }
        List<Brief> briefs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String topic = topics.get(i % topics.size());
            List<String> keywords = new ArrayList<>();
            keywords.add(KEYWORDS.get(random.nextInt(KEYWORDS.size())));
            if (random.nextBoolean()) {
                String second = KEYWORDS.get(random.nextInt(KEYWORDS.size()));
                if (!keywords.contains(second)) {
                    keywords.add(second);
                }
            }
            ContentFormat format = ContentFormat.values()[i % ContentFormat.values().length];
            int minWords = 30 + 10 * random.nextInt(3);
            int maxWords = 120 + 20 * random.nextInt(3);
            briefs.add(new Brief(topic, List.of(topic.replace(' ', '-')), format, Audience.CHILDREN, keywords, List.of(),
                    minWords, maxWords, 512, -1));
        }
        return List.copyOf(briefs);
    }
}

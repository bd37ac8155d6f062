package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void keepsTheBestAgainstASortReference() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(500);
            int k = 1 + random.nextInt(40);
            float[] scores = new float[n];
            TopK top = new TopK(k);
            for (int i = 0; i < n; i++) {
                scores[i] = (float) random.nextGaussian();
                top.offer(i, scores[i]);
            }
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted((a, b) -> Float.compare(scores[b], scores[a])).limit(k).mapToInt(Integer::intValue).toArray();
            int[] ids = new int[k];
            float[] got = new float[k];
            int count = top.drainDescending(ids, got);
            assertEquals(Math.min(k, n), count);
            assertArrayEquals(expected, java.util.Arrays.copyOf(ids, count));
            assertEquals(0, top.size());
        }
    }
}

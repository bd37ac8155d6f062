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

    @Test
    void largeScansTiesAndSpecialValuesMatchASortReference() {
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + random.nextInt(20_000);
            int k = 1 + random.nextInt(1_500);
            float[] scores = new float[n];
            int[] ids = new int[n];
            TopK top = new TopK(k);
            for (int i = 0; i < n; i++) {
                ids[i] = random.nextInt(1_000_000);
                // coarse values force many ties; a few infinities, zeros of both signs and NaNs
                scores[i] = switch (random.nextInt(50)) {
                    case 0 -> Float.NaN;
                    case 1 -> Float.POSITIVE_INFINITY;
                    case 2 -> Float.NEGATIVE_INFINITY;
                    case 3 -> -0f;
                    default -> Math.round(random.nextGaussian() * 20) / 4f;
                };
                if (top.wouldAccept(scores[i]) || random.nextBoolean()) {
                    top.offer(ids[i], scores[i]);
                }
            }
            long[] expected = IntStream.range(0, n).filter(i -> !Float.isNaN(scores[i]))
                    .mapToObj(i -> new long[] {i})
                    .sorted((a, b) -> {
                        int byScore = Float.compare(scores[(int) b[0]] == 0f ? 0f : scores[(int) b[0]],
                                scores[(int) a[0]] == 0f ? 0f : scores[(int) a[0]]);
                        return byScore != 0 ? byScore : Integer.compare(ids[(int) a[0]], ids[(int) b[0]]);
                    })
                    .limit(k).mapToLong(a -> a[0]).toArray();
            int[] gotIds = new int[k];
            float[] gotScores = new float[k];
            int count = top.drainDescending(gotIds, gotScores);
            assertEquals(expected.length, count, "trial " + trial);
            for (int i = 0; i < count; i++) {
                int ref = (int) expected[i];
                assertEquals(scores[ref] == 0f ? 0f : scores[ref], gotScores[i] == 0f ? 0f : gotScores[i], "trial " + trial + " rank " + i);
                assertEquals(ids[ref], gotIds[i], "trial " + trial + " rank " + i);
            }
        }
    }
}

package dev.feedserver.ranking.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.embeddings.Vectors;
import dev.feedserver.ranking.catalog.ItemContent;
import dev.feedserver.ranking.content.TextEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The int8 brute-force content neighbour scan against float cosines, across chunk boundaries. */
class ContentNeighboursTest {
    private static final int DIM = 32;

    /** An encoder that is only a width: the test stores embeddings directly. */
    private static final class WidthOnly implements TextEncoder {
        @Override
        public int dimension() {
            return DIM;
        }

        @Override
        public String name() {
            return "width-only";
        }

        @Override
        public float[][] encode(List<String> texts) {
            throw new UnsupportedOperationException("the test stores embeddings directly");
        }

        @Override
        public void close() {
        }
    }

    private static float[] unit(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) random.nextGaussian();
        }
        Vectors.normalise(v, 0, DIM);
        return v;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    @Test
    void findsTheEligibleRowsWithTheHighestCosineAcrossChunks() {
        int rows = 40_000; // three 16,384-row chunks, the last one partial
        SplittableRandom random = new SplittableRandom(11);
        float[][] embeddings = new float[rows][];
        float[] query = unit(random);
        try (ItemContent content = new ItemContent(new WidthOnly())) {
            for (int r = 0; r < rows; r++) {
                embeddings[r] = unit(random);
                if (r % 997 == 0) {
                    // near copies of the query spread over every chunk, odd rows among them ineligible
                    for (int j = 0; j < DIM; j++) {
                        embeddings[r][j] = query[j] + 0.05f * embeddings[r][j];
                    }
                    Vectors.normalise(embeddings[r], 0, DIM);
                }
                if (r == rows - 2) {
                    embeddings[r] = query.clone(); // the best row, in the partial last chunk
                }
                content.store(r, embeddings[r]);
            }
            int k = 10;
            ContentNeighbours.Result found = new ContentNeighbours().nearest(content, query, rows, k, 0.5f, r -> r % 2 == 0);

            Integer[] truth = new Integer[rows / 2];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = 2 * i;
            }
            Arrays.sort(truth, (a, b) -> Float.compare(dot(embeddings[b], query), dot(embeddings[a], query)));
            assertEquals(k, found.count());
            for (int i = 0; i < k; i++) {
                int row = found.rows()[i];
                assertEquals(0, row % 2, "only eligible rows");
                assertEquals(dot(embeddings[row], query), found.cosines()[i], 0.02f, "int8 cosine of row " + row);
                assertTrue(i == 0 || found.cosines()[i] <= found.cosines()[i - 1], "best first");
                // int8 rounding may swap near ties, never admit a clearly worse row
                assertTrue(dot(embeddings[row], query) >= dot(embeddings[truth[k - 1]], query) - 0.02f, "row " + row + " is a true top-k row");
            }
            assertEquals(rows - 2, found.rows()[0], "the scan reached the last chunk");
        }
    }

    @Test
    void keepsOnlyCosinesAtOrAboveTheMinimumAndSkipsRowsBeyondTheLimit() {
        SplittableRandom random = new SplittableRandom(5);
        float[] query = unit(random);
        float[] opposite = query.clone();
        for (int j = 0; j < DIM; j++) {
            opposite[j] = -opposite[j];
        }
        try (ItemContent content = new ItemContent(new WidthOnly())) {
            content.store(0, opposite);
            content.store(1, query);
            ContentNeighbours neighbours = new ContentNeighbours();
            ContentNeighbours.Result both = neighbours.nearest(content, query, 2, 5, 0.3f, r -> true);
            assertEquals(1, both.count(), "the opposite row is below the minimum");
            assertEquals(1, both.rows()[0]);
            assertEquals(0, neighbours.nearest(content, query, 1, 5, 0.3f, r -> true).count(), "row 1 is beyond the limit");
        }
        try (ItemContent none = new ItemContent(null)) {
            assertEquals(0, new ContentNeighbours().nearest(none, new float[0], 10, 5, 0.3f, r -> true).count(), "no encoder, no neighbours");
        }
    }
}

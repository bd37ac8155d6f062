package dev.feedserver.ranking.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImplicitAlsTest {

    @Test
    void sparseRowsMergeDuplicatesAndTranspose() {
        SparseRows rows = SparseRows.of(2, 3, new int[] {0, 0, 1, 0}, new int[] {2, 0, 1, 2}, 4);
        assertEquals(3, rows.nonZeros());
        assertEquals(0, rows.column(rows.start(0)));
        assertEquals(2, rows.column(rows.start(0) + 1));
        assertEquals(2f, rows.weight(rows.start(0) + 1));
        SparseRows t = rows.transpose();
        assertEquals(3, t.rows());
        assertEquals(1, t.end(2) - t.start(2));
        assertEquals(2f, t.weight(t.start(2)));
    }

    @Test
    void choleskySolvesASmallSystem() {
        double[] a = {4, 2, 2, 3};
        double[] b = {2, 1};
        Cholesky.solveInPlace(a, b, 2);
        assertArrayEquals(new double[] {0.5, 0}, b, 1e-12);
    }

    @Test
    void learnsBlockStructure() {
        // Two communities: users 0-9 use items 0-9, users 10-19 use items 10-19, each missing one.
        int[] users = new int[180];
        int[] items = new int[180];
        int n = 0;
        for (int u = 0; u < 20; u++) {
            int block = u < 10 ? 0 : 10;
            for (int i = 0; i < 10; i++) {
                if (i != u % 10) {
                    users[n] = u;
                    items[n] = block + i;
                    n++;
                }
            }
        }
        Factors f = new ImplicitAls(new AlsConfig(4, 10, 0.05f, 20f, 3)).train(SparseRows.of(20, 20, users, items, n), x -> { });
        // User 0 never saw item 0 (own block) and never saw item 10 (other block).
        assertTrue(dot(f, 0, 0) > dot(f, 0, 10) + 0.3, "own-block item should score higher: " + dot(f, 0, 0) + " vs " + dot(f, 0, 10));
        assertTrue(dot(f, 0, 0) > 0.5);
    }

    private static double dot(Factors f, int user, int item) {
        double s = 0;
        for (int k = 0; k < f.dim(); k++) {
            s += f.users()[user * f.dim() + k] * f.items()[item * f.dim() + k];
        }
        return s;
    }
}

package dev.feedserver.ranking.train;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Implicit-feedback alternating least squares (Hu, Koren and Volinsky, 2008): every observed
 * (user, item) pair has preference 1 and confidence {@code 1 + alpha * count}; unobserved pairs
 * have preference 0 and confidence 1. Each half-sweep solves one ridge regression per row,
 * exactly, with a Cholesky factorisation, using the {@code YtY} trick so the cost grows with the
 * number of observations, not the catalogue size.
 *
 * <p>Threading: {@link #train} runs rows in parallel on the common fork-join pool; the instance
 * holds no state between calls.
 */
public final class ImplicitAls {
    private final AlsConfig config;

    public ImplicitAls(AlsConfig config) {
        this.config = config;
    }

    /**
     * Trains on {@code userItems} (users as rows). {@code progress} receives the cumulative
     * number of rows solved; the total is {@code iterations * (users + items)}.
     */
    public Factors train(SparseRows userItems, LongConsumer progress) {
        int f = config.factors();
        SparseRows itemUsers = userItems.transpose();
        float[] users = new float[userItems.rows() * f];
        float[] items = new float[userItems.columns() * f];
        SplittableRandom random = new SplittableRandom(config.seed());
        double scale = 1.0 / Math.sqrt(f);
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) (random.nextGaussian() * 0.1 * scale);
        }
        for (int i = 0; i < users.length; i++) {
            users[i] = (float) (random.nextGaussian() * 0.1 * scale);
        }
        long done = 0;
        for (int it = 0; it < config.iterations(); it++) {
            sweep(userItems, items, users);
            done += userItems.rows();
            progress.accept(done);
            sweep(itemUsers, users, items);
            done += itemUsers.rows();
            progress.accept(done);
        }
        return new Factors(f, users, items);
    }

    /** Solves every row of {@code target} against the fixed {@code other} factors. */
    private void sweep(SparseRows rows, float[] other, float[] target) {
        int f = config.factors();
        double[] gram = gram(other, f);
        ThreadLocal<RowSolver> solvers = ThreadLocal.withInitial(() -> new RowSolver(f));
        IntStream.range(0, rows.rows()).parallel().forEach(r ->
                solvers.get().solve(rows, r, other, gram, config.regularization(), config.alpha(), target));
    }

    /** {@code YtY} of the fixed side, f x f, row-major. */
    private static double[] gram(float[] factors, int f) {
        int n = factors.length / f;
        double[] g = new double[f * f];
        for (int r = 0; r < n; r++) {
            int base = r * f;
            for (int a = 0; a < f; a++) {
                double va = factors[base + a];
                for (int b = a; b < f; b++) {
                    g[a * f + b] += va * factors[base + b];
                }
            }
        }
        for (int a = 0; a < f; a++) {
            for (int b = 0; b < a; b++) {
                g[a * f + b] = g[b * f + a];
            }
        }
        return g;
    }

    /** Per-thread scratch for one row's normal equations. Not thread-safe. */
    private static final class RowSolver {
        private final int f;
        private final double[] a;
        private final double[] b;

        RowSolver(int f) {
            this.f = f;
            this.a = new double[f * f];
            this.b = new double[f];
        }

        void solve(SparseRows rows, int row, float[] other, double[] gram, float lambda, float alpha, float[] target) {
            System.arraycopy(gram, 0, a, 0, a.length);
            java.util.Arrays.fill(b, 0);
            for (int d = 0; d < f; d++) {
                a[d * f + d] += lambda;
            }
            for (int i = rows.start(row); i < rows.end(row); i++) {
                int base = rows.column(i) * f;
                double confidence = 1.0 + alpha * rows.weight(i);
                double extra = confidence - 1.0;
                for (int p = 0; p < f; p++) {
                    double yp = other[base + p];
                    b[p] += confidence * yp;
                    double scaled = extra * yp;
                    for (int q = p; q < f; q++) {
                        a[p * f + q] += scaled * other[base + q];
                    }
                }
            }
            for (int p = 0; p < f; p++) {
                for (int q = 0; q < p; q++) {
                    a[p * f + q] = a[q * f + p];
                }
            }
            Cholesky.solveInPlace(a, b, f);
            int out = row * f;
            for (int p = 0; p < f; p++) {
                target[out + p] = (float) b[p];
            }
        }
    }
}

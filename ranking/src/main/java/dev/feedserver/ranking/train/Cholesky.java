package dev.feedserver.ranking.train;

/** Dense symmetric positive-definite solve by Cholesky factorisation. Stateless. */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * Solves {@code A x = b} for x, overwriting {@code a} with its Cholesky factor L (lower
     * triangle) and {@code b} with x. {@code a} is n x n row-major and must be positive definite.
     */
    static void solveInPlace(double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            double diagonal = a[j * n + j];
            for (int k = 0; k < j; k++) {
                diagonal -= a[j * n + k] * a[j * n + k];
            }
            if (!(diagonal > 0)) {
                throw new ArithmeticException("matrix is not positive definite at column " + j);
            }
            double l = Math.sqrt(diagonal);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / l;
            }
        }
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= a[i * n + k] * b[k];
            }
            b[i] = s / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= a[k * n + i] * b[k];
            }
            b[i] = s / a[i * n + i];
        }
    }
}

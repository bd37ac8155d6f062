package dev.feedserver.ranking.eval;

/** The plain reference inverse for the tests: Gauss-Jordan elimination with partial pivoting, in double. */
final class GaussJordan {
    private GaussJordan() {
    }

    static double[][] inverse(double[][] matrix) {
        int n = matrix.length;
        double[][] left = new double[n][];
        double[][] right = new double[n][n];
        for (int i = 0; i < n; i++) {
            left[i] = matrix[i].clone();
            right[i][i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(left[r][col]) > Math.abs(left[pivot][col])) {
                    pivot = r;
                }
            }
            swap(left, col, pivot);
            swap(right, col, pivot);
            double p = left[col][col];
            for (int c = 0; c < n; c++) {
                left[col][c] /= p;
                right[col][c] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && left[r][col] != 0) {
                    double f = left[r][col];
                    for (int c = 0; c < n; c++) {
                        left[r][c] -= f * left[col][c];
                        right[r][c] -= f * right[col][c];
                    }
                }
            }
        }
        return right;
    }

    private static void swap(double[][] rows, int a, int b) {
        double[] t = rows[a];
        rows[a] = rows[b];
        rows[b] = t;
    }
}

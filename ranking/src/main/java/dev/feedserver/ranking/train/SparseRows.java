package dev.feedserver.ranking.train;

/**
 * Compressed sparse rows of (column, weight) pairs; the interaction matrix in either direction
 * (user to items, item to users). Duplicate (row, column) pairs are summed into one weight.
 * Immutable once built; safe to share between threads.
 */
public final class SparseRows {
    private final int rows;
    private final int columns;
    private final int[] start;
    private final int[] column;
    private final float[] weight;

    private SparseRows(int rows, int columns, int[] start, int[] column, float[] weight) {
        this.rows = rows;
        this.columns = columns;
        this.start = start;
        this.column = column;
        this.weight = weight;
    }

    /** Builds rows from {@code count} (row, column) pairs, each pair adding 1 to its weight. */
    public static SparseRows of(int rows, int columns, int[] rowOf, int[] columnOf, int count) {
        int[] start = new int[rows + 1];
        for (int i = 0; i < count; i++) {
            start[rowOf[i] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        int[] cursor = java.util.Arrays.copyOf(start, rows);
        int[] col = new int[count];
        for (int i = 0; i < count; i++) {
            col[cursor[rowOf[i]]++] = columnOf[i];
        }
        // Sort each row's columns and merge duplicates into weights.
        int[] mergedStart = new int[rows + 1];
        int[] mergedColumn = new int[count];
        float[] mergedWeight = new float[count];
        int out = 0;
        for (int r = 0; r < rows; r++) {
            mergedStart[r] = out;
            java.util.Arrays.sort(col, start[r], start[r + 1]);
            for (int i = start[r]; i < start[r + 1]; i++) {
                if (out > mergedStart[r] && mergedColumn[out - 1] == col[i]) {
                    mergedWeight[out - 1] += 1f;
                } else {
                    mergedColumn[out] = col[i];
                    mergedWeight[out] = 1f;
                    out++;
                }
            }
        }
        mergedStart[rows] = out;
        return new SparseRows(rows, columns, mergedStart,
                java.util.Arrays.copyOf(mergedColumn, out), java.util.Arrays.copyOf(mergedWeight, out));
    }

    /** The same matrix with rows and columns swapped. */
    public SparseRows transpose() {
        int n = start[rows];
        int[] rowOf = new int[n];
        for (int r = 0; r < rows; r++) {
            for (int i = start[r]; i < start[r + 1]; i++) {
                rowOf[i] = r;
            }
        }
        int[] tStart = new int[columns + 1];
        for (int i = 0; i < n; i++) {
            tStart[column[i] + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            tStart[c + 1] += tStart[c];
        }
        int[] cursor = java.util.Arrays.copyOf(tStart, columns);
        int[] tColumn = new int[n];
        float[] tWeight = new float[n];
        for (int i = 0; i < n; i++) {
            int slot = cursor[column[i]]++;
            tColumn[slot] = rowOf[i];
            tWeight[slot] = weight[i];
        }
        return new SparseRows(columns, rows, tStart, tColumn, tWeight);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int start(int row) {
        return start[row];
    }

    public int end(int row) {
        return start[row + 1];
    }

    public int column(int i) {
        return column[i];
    }

    public float weight(int i) {
        return weight[i];
    }

    public int nonZeros() {
        return start[rows];
    }
}

package dev.feedserver.ranking.eval;

import dev.feedserver.ranking.retrieval.TopK;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * The EASE baseline (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an
 * item-item weight matrix {@code B = I - P diag(1/diag(P))} with
 * {@code P = (X^T X + lambda I)^-1} over the binary training matrix X, so that
 * {@code diag(B) = 0}; a user's scores are {@code x_u B}. Items with fewer than
 * {@link EaseConfig#minCount()} training users are left out of X's columns; they score nothing
 * and are ranked after the modelled items, by popularity. Lists skip the user's training items.
 *
 * <p>The fit builds the Gram matrix in one off-heap n x n float matrix and inverts it in place
 * ({@link CholeskyInverse}), then turns P into B in place: n^2 floats, and about n^3/2
 * multiply-adds.
 *
 * <p>Lifecycle: {@link #fit} allocates B off-heap; {@link #close()} frees it (idempotent), after
 * which {@link #recommend} fails with {@link IllegalStateException}. Threading: {@code recommend}
 * may be called from any number of threads until {@code close}, which must not race with them.
 */
public final class EaseRecommender implements Recommender, AutoCloseable {
    /** The weight matrix of 40,000 items is 6.4 GB; beyond, raise {@code minCount}. */
    public static final int MAX_ITEMS = 40_000;
    private static final int UNIT_SHIFT = 20;

    private final TrainMatrix train;
    private final int[] itemOfColumn;
    private final int[] columnOfItem;
    private final int[] popularity;
    private final Arena arena;
    private final MemorySegment weights;

    private EaseRecommender(TrainMatrix train, int[] itemOfColumn, int[] columnOfItem, Arena arena, MemorySegment weights) {
        this.train = train;
        this.itemOfColumn = itemOfColumn;
        this.columnOfItem = columnOfItem;
        this.popularity = train.popularityOrder();
        this.arena = arena;
        this.weights = weights;
    }

    /** Total work units {@link #fit} reports ({@code progress} counts up to this). */
    public static long fitWork(TrainMatrix train, EaseConfig config) {
        int n = modelled(train, config).length;
        return gramUnits(train, config) + CholeskyInverse.work(n) + units((long) n * n);
    }

    /**
     * Fits B on {@code train}; {@code progress} gets the work units done so far, from the calling
     * thread (the inversion runs on one worker per core).
     *
     * @throws IllegalArgumentException if more than {@link #MAX_ITEMS} items would be modelled
     */
    public static EaseRecommender fit(TrainMatrix train, EaseConfig config, LongConsumer progress) {
        int[] itemOfColumn = modelled(train, config);
        int n = itemOfColumn.length;
        if (n > MAX_ITEMS) {
            throw new IllegalArgumentException("EASE would model " + n + " items (at least " + config.minCount()
                    + " training users each); at most " + MAX_ITEMS + " fit in memory, raise the minimum count");
        }
        int[] columnOfItem = new int[train.items()];
        java.util.Arrays.fill(columnOfItem, -1);
        for (int c = 0; c < n; c++) {
            columnOfItem[itemOfColumn[c]] = c;
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment matrix = arena.allocate(Math.max(1, (long) n * n * Float.BYTES), 64);
            addGram(train, columnOfItem, matrix, n, config.lambda());
            long gramUnits = gramUnits(train, config);
            progress.accept(gramUnits);
            CholeskyInverse.invert(matrix, n, done -> progress.accept(gramUnits + done));
            toWeights(matrix, n);
            progress.accept(gramUnits + CholeskyInverse.work(n) + units((long) n * n));
            return new EaseRecommender(train, itemOfColumn, columnOfItem, arena, matrix);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Items seen by at least {@code minCount} users, ascending (so columns keep item order). */
    private static int[] modelled(TrainMatrix train, EaseConfig config) {
        return java.util.stream.IntStream.range(0, train.items())
                .filter(i -> train.count(i) >= config.minCount()).toArray();
    }

    /** Lower triangle of {@code X^T X + lambda I}: each user adds one to every pair of its modelled items. */
    private static void addGram(TrainMatrix train, int[] columnOfItem, MemorySegment matrix, int n, double lambda) {
        int[] columns = new int[train.items()];
        for (int u = 0; u < train.users(); u++) {
            int count = 0;
            for (int p = train.userStart(u); p < train.userEnd(u); p++) {
                int c = columnOfItem[train.userItemAt(p)];
                if (c >= 0) {
                    columns[count++] = c; // ascending, as the user's items are
                }
            }
            for (int x = 0; x < count; x++) {
                long row = (long) columns[x] * n;
                for (int y = 0; y <= x; y++) {
                    long at = row + columns[y];
                    matrix.setAtIndex(ValueLayout.JAVA_FLOAT, at, matrix.getAtIndex(ValueLayout.JAVA_FLOAT, at) + 1f);
                }
            }
        }
        for (int c = 0; c < n; c++) {
            long at = (long) c * n + c;
            matrix.setAtIndex(ValueLayout.JAVA_FLOAT, at, (float) (matrix.getAtIndex(ValueLayout.JAVA_FLOAT, at) + lambda));
        }
    }

    /** P becomes B in place: {@code B_ij = -P_ij / P_jj}, {@code B_jj = 0}. */
    private static void toWeights(MemorySegment matrix, int n) {
        float[] inverseDiagonal = new float[n];
        for (int j = 0; j < n; j++) {
            inverseDiagonal[j] = -1f / matrix.getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * n + j);
        }
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(matrix, ValueLayout.JAVA_FLOAT, (long) i * n * Float.BYTES, row, 0, n);
            for (int j = 0; j < n; j++) {
                row[j] *= inverseDiagonal[j];
            }
            row[i] = 0f;
            MemorySegment.copy(row, 0, matrix, ValueLayout.JAVA_FLOAT, (long) i * n * Float.BYTES, n);
        }
    }

    private static long gramUnits(TrainMatrix train, EaseConfig config) {
        long pairs = 0;
        for (int u = 0; u < train.users(); u++) {
            long count = 0;
            for (int p = train.userStart(u); p < train.userEnd(u); p++) {
                if (train.count(train.userItemAt(p)) >= config.minCount()) {
                    count++;
                }
            }
            pairs += count * (count + 1) / 2;
        }
        return units(pairs);
    }

    private static long units(long operations) {
        return Math.max(1, operations >>> UNIT_SHIFT);
    }

    /** Number of items in the model (columns of B). */
    public int modelledItems() {
        return itemOfColumn.length;
    }

    /** {@code B[from][to]} by dataset item numbers; 0 when either item is outside the model. */
    float weight(int fromItem, int toItem) {
        int i = columnOfItem[fromItem];
        int j = columnOfItem[toItem];
        return i < 0 || j < 0 ? 0f : weights.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * itemOfColumn.length + j);
    }

    @Override
    public int[] recommend(int user, int k) {
        if (k <= 0) {
            return new int[0];
        }
        int n = itemOfColumn.length;
        boolean[] excluded = new boolean[train.items()];
        float[] scores = new float[n];
        float[] row = new float[n];
        for (int p = train.userStart(user); p < train.userEnd(user); p++) {
            int item = train.userItemAt(p);
            excluded[item] = true;
            int c = columnOfItem[item];
            if (c >= 0) {
                MemorySegment.copy(weights, ValueLayout.JAVA_FLOAT, (long) c * n * Float.BYTES, row, 0, n);
                for (int j = 0; j < n; j++) {
                    scores[j] += row[j];
                }
            }
        }
        TopK top = new TopK(k);
        for (int c = 0; c < n; c++) {
            if (!excluded[itemOfColumn[c]]) {
                top.offer(itemOfColumn[c], scores[c]);
            }
        }
        return RankedList.topThenFill(top, k, excluded, popularity);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}

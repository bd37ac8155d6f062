package dev.feedserver.ranking.eval;

import dev.feedserver.nativelib.Int8Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/**
 * Inverts a symmetric positive-definite float matrix in place, by blocked Cholesky, with every
 * large product done by the float GEMM of {@code dev.feedserver.nativelib} ({@code fn_gemm_f32},
 * which multiplies rows by rows: {@code out = a w^T}). The matrix is n x n, row-major, in one
 * off-heap segment; only its lower triangle is read, and on return it holds the full inverse.
 *
 * <p>Three passes over blocks of {@code b} rows, each about n^3/6 multiply-adds:
 * <ol>
 *   <li>Cholesky {@code A = L L^T}, right-looking: factor the diagonal block in double and invert
 *       it; the panel below is {@code A_IK L_KK^-T} (a GEMM against the block inverse); the
 *       trailing lower triangle loses {@code L_IK L_JK^T}, one GEMM per block row.</li>
 *   <li>{@code V = L^-T} into the upper triangle, one block row of V per task:
 *       {@code V_JI = -(sum over K in [J, I) of V_JK L_IK^T) L_II^-T}. Rows of V and rows of L
 *       are both contiguous, so each sum is one GEMM. The diagonal block {@code V_JJ} overwrites
 *       {@code L_JJ}, which nothing reads any more (its inverse was kept).</li>
 *   <li>{@code A^-1 = V V^T}: block row I of the inverse is one GEMM of V's rows
 *       {@code I} against rows {@code 0..I}, over the columns from block I on, written over L's
 *       lower triangle; then the lower triangle is mirrored into the upper one.</li>
 * </ol>
 * Tasks within a pass touch disjoint blocks, so they run in parallel (one thread per core).
 * Float is enough here: the matrices this serves ({@code X^T X + lambda I} with lambda in the
 * hundreds) are well conditioned, float halves the memory and the bytes moved per multiply-add,
 * and the project's GEMM is float; the small diagonal blocks are factored and inverted in double.
 *
 * <p>Stateless; each call allocates its scratch and frees it before returning. The matrix must
 * be accessible from other threads (a shared or global arena), and the caller must not touch it
 * during the call.
 */
public final class CholeskyInverse {
    static final int DEFAULT_BLOCK = 256;
    /** Progress unit: 2^20 multiply-adds. */
    private static final int UNIT_SHIFT = 20;

    private final MemorySegment a;
    private final int n;
    private final int nb;
    private final int blocks;
    private final Int8Gemm gemm;
    /** Per block K, {@code L_KK^-1}: nb x nb floats (row stride nb), zero above the diagonal. */
    private final MemorySegment lowerInverses;
    private final ThreadLocal<Scratch> scratch;

    private CholeskyInverse(MemorySegment a, int n, int nb, Int8Gemm gemm, Arena arena) {
        this.a = a;
        this.gemm = gemm;
        this.n = n;
        this.nb = nb;
        this.blocks = (n + nb - 1) / nb;
        this.lowerInverses = arena.allocate((long) blocks * nb * nb * Float.BYTES, 64);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(arena, n, nb));
    }

    /**
     * Replaces the n x n SPD matrix in {@code matrix} (row-major floats, lower triangle read) by
     * its inverse. {@code progress} gets the work units done so far (see {@link #work}), from the
     * calling thread.
     *
     * @throws IllegalArgumentException if the matrix is not positive definite (naming the row
     *                                  whose pivot failed) or the segment is too small
     */
    public static void invert(MemorySegment matrix, int n, LongConsumer progress) {
        invert(matrix, n, DEFAULT_BLOCK, Int8Gemm.get(), progress);
    }

    /** As {@link #invert(MemorySegment, int, LongConsumer)} with a given block size and GEMM (tests run both kernels). */
    static void invert(MemorySegment matrix, int n, int block, Int8Gemm gemm, LongConsumer progress) {
        if (n < 0 || block < 1) {
            throw new IllegalArgumentException("need n >= 0 and block >= 1, got n = " + n + ", block = " + block);
        }
        if (matrix.byteSize() < (long) n * n * Float.BYTES) {
            throw new IllegalArgumentException("segment of " + matrix.byteSize() + " bytes cannot hold a " + n + " x " + n
                    + " float matrix");
        }
        if (!matrix.isAccessibleBy(new Thread(() -> { }))) {
            throw new IllegalArgumentException("the matrix must be readable from worker threads: allocate it from a shared or global arena");
        }
        if (n == 0) {
            return;
        }
        try (Arena arena = Arena.ofShared(); ParallelWork work = new ParallelWork(progress)) {
            CholeskyInverse inverse = new CholeskyInverse(matrix, n, block, gemm, arena);
            inverse.factor(work);
            inverse.invertFactor(work);
            inverse.multiplyInverseFactors(work);
            inverse.mirrorLowerTriangle(work);
        }
    }

    /** Total work units {@link #invert} reports for an n x n matrix. */
    public static long work(int n) {
        return work(n, DEFAULT_BLOCK);
    }

    static long work(int n, int nb) {
        int blocks = (n + nb - 1) / nb;
        long total = 0;
        for (int k = 0; k < blocks; k++) {
            int k1 = Math.min(n, (k + 1) * nb);
            int kb = k1 - k * nb;
            total += units((long) (n - k1) * kb * kb);
            for (int i = k + 1; i < blocks; i++) {
                total += units(trailingCost(n, nb, k, i));
            }
        }
        for (int j = 0; j < blocks; j++) {
            total += units(rowOfVCost(n, nb, j));
            total += units(rowOfInverseCost(n, nb, j));
            total += units((long) Math.min(n, (j + 1) * nb) * rows(n, nb, j));
        }
        return total;
    }

    // ---------------------------------------------------------------- pass 1: A = L L^T

    private void factor(ParallelWork work) {
        for (int k = 0; k < blocks; k++) {
            int kBlock = k;
            int k0 = k * nb;
            int kb = rows(n, nb, k);
            int k1 = k0 + kb;
            factorDiagonalBlock(k, k0, kb);
            List<Callable<Long>> panel = new ArrayList<>();
            for (int r0 = k1; r0 < n; r0 += nb) {
                int from = r0;
                int to = Math.min(n, r0 + nb);
                panel.add(() -> {
                    solvePanelRows(kBlock, k0, kb, from, to);
                    return 0L;
                });
            }
            work.run(panel);
            work.advance(units((long) (n - k1) * kb * kb));
            List<Callable<Long>> trailing = new ArrayList<>();
            for (int i = blocks - 1; i > k; i--) { // longest rows first
                int block = i;
                trailing.add(() -> {
                    updateTrailingRows(k0, kb, block);
                    return units(trailingCost(n, nb, kBlock, block));
                });
            }
            work.run(trailing);
        }
    }

    /** Factors A_KK = L_KK L_KK^T in double, writes L_KK back and keeps L_KK^-1. */
    private void factorDiagonalBlock(int k, int k0, int kb) {
        double[] l = new double[kb * kb];
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j <= i; j++) {
                l[i * kb + j] = get(k0 + i, k0 + j);
            }
        }
        for (int j = 0; j < kb; j++) {
            double pivot = l[j * kb + j];
            for (int p = 0; p < j; p++) {
                pivot -= l[j * kb + p] * l[j * kb + p];
            }
            if (!(pivot > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite: pivot of row " + (k0 + j) + " is " + pivot);
            }
            double diagonal = Math.sqrt(pivot);
            l[j * kb + j] = diagonal;
            for (int i = j + 1; i < kb; i++) {
                double s = l[i * kb + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * kb + p] * l[j * kb + p];
                }
                l[i * kb + j] = s / diagonal;
            }
        }
        double[] inv = new double[kb * kb];
        for (int j = 0; j < kb; j++) {
            inv[j * kb + j] = 1 / l[j * kb + j];
            for (int i = j + 1; i < kb; i++) {
                double s = 0;
                for (int p = j; p < i; p++) {
                    s += l[i * kb + p] * inv[p * kb + j];
                }
                inv[i * kb + j] = -s / l[i * kb + i];
            }
        }
        long base = (long) k * nb * nb;
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j < kb; j++) {
                if (j <= i) {
                    set(k0 + i, k0 + j, (float) l[i * kb + j]);
                }
                lowerInverses.setAtIndex(ValueLayout.JAVA_FLOAT, base + (long) i * nb + j, (float) inv[i * kb + j]);
            }
        }
    }

    /** Rows [from, to) of the panel below block K: {@code L_rK = A_rK L_KK^-T}. */
    private void solvePanelRows(int k, int k0, int kb, int from, int to) {
        Scratch s = scratch.get();
        int m = to - from;
        gemm.gemmF32(at(from, k0), m, kb, n, inverseOf(k), kb, nb, null, Int8Gemm.Activation.NONE, s.product, kb);
        for (int r = 0; r < m; r++) {
            MemorySegment.copy(s.product, (long) r * kb * Float.BYTES, a, offset(from + r, k0), (long) kb * Float.BYTES);
        }
    }

    /** Block row I of the trailing matrix, columns [k1, i1): {@code A -= L_IK L_(k1..i1)K^T}. */
    private void updateTrailingRows(int k0, int kb, int block) {
        Scratch s = scratch.get();
        int k1 = k0 + kb;
        int i0 = block * nb;
        int m = rows(n, nb, block);
        int cols = i0 + m - k1;
        gemm.gemmF32(at(i0, k0), m, kb, n, at(k1, k0), cols, n, null, Int8Gemm.Activation.NONE, s.product, cols);
        for (int r = 0; r < m; r++) {
            s.loadRow(a, offset(i0 + r, k1), cols);
            s.loadOther(s.product, (long) r * cols * Float.BYTES, cols);
            for (int c = 0; c < cols; c++) {
                s.row[c] -= s.other[c];
            }
            s.storeRow(a, offset(i0 + r, k1), cols);
        }
    }

    private static long trailingCost(int n, int nb, int k, int block) {
        int kb = rows(n, nb, k);
        int k1 = k * nb + kb;
        int m = rows(n, nb, block);
        return (long) m * kb * (block * nb + m - k1);
    }

    // ---------------------------------------------------------------- pass 2: V = L^-T

    private void invertFactor(ParallelWork work) {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int j = 0; j < blocks; j++) { // longest rows first
            int block = j;
            tasks.add(() -> {
                computeRowOfV(block);
                return units(rowOfVCost(n, nb, block));
            });
        }
        work.run(tasks);
    }

    /** Block row J of V: the diagonal block from the kept inverse, then left to right. */
    private void computeRowOfV(int jBlock) {
        Scratch s = scratch.get();
        int j0 = jBlock * nb;
        int jb = rows(n, nb, jBlock);
        long base = (long) jBlock * nb * nb;
        for (int r = 0; r < jb; r++) { // V_JJ = (L_JJ^-1)^T, zeros below its diagonal
            for (int c = 0; c < jb; c++) {
                s.row[c] = c < r ? 0f : lowerInverses.getAtIndex(ValueLayout.JAVA_FLOAT, base + (long) c * nb + r);
            }
            s.storeRow(a, offset(j0 + r, j0), jb);
        }
        for (int iBlock = jBlock + 1; iBlock < blocks; iBlock++) {
            int i0 = iBlock * nb;
            int ib = rows(n, nb, iBlock);
            // sum over K in [J, I) of V_JK L_IK^T: rows of V (upper) against rows of L (lower).
            gemm.gemmF32(at(j0, j0), jb, i0 - j0, n, at(i0, j0), ib, n, null, Int8Gemm.Activation.NONE, s.product, ib);
            gemm.gemmF32(s.product, jb, ib, ib, inverseOf(iBlock), ib, nb, null, Int8Gemm.Activation.NONE, s.small, ib);
            for (int r = 0; r < jb; r++) {
                s.loadOther(s.small, (long) r * ib * Float.BYTES, ib);
                for (int c = 0; c < ib; c++) {
                    s.row[c] = -s.other[c];
                }
                s.storeRow(a, offset(j0 + r, i0), ib);
            }
        }
    }

    private static long rowOfVCost(int n, int nb, int jBlock) {
        int jb = rows(n, nb, jBlock);
        long cost = 0;
        for (int i = jBlock + 1; i * nb < n; i++) {
            int ib = rows(n, nb, i);
            cost += (long) jb * ib * (i * nb - jBlock * nb + ib);
        }
        return cost;
    }

    // ---------------------------------------------------------------- pass 3: A^-1 = V V^T

    private void multiplyInverseFactors(ParallelWork work) {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            int block = i;
            tasks.add(() -> {
                computeRowOfInverse(block);
                return units(rowOfInverseCost(n, nb, block));
            });
        }
        work.run(tasks);
    }

    /**
     * Block row I of the inverse, columns [0, i1): V's rows I against rows [0, i1), over columns
     * [i0, n) where V is stored (zeros below the diagonal of V_II; above row i0 only upper blocks).
     * Writes over L's block row and V_II, which no other task reads.
     */
    private void computeRowOfInverse(int iBlock) {
        Scratch s = scratch.get();
        int i0 = iBlock * nb;
        int ib = rows(n, nb, iBlock);
        int i1 = i0 + ib;
        gemm.gemmF32(at(i0, i0), ib, n - i0, n, at(0, i0), i1, n, null, Int8Gemm.Activation.NONE, s.product, i1);
        for (int r = 0; r < ib; r++) {
            MemorySegment.copy(s.product, (long) r * i1 * Float.BYTES, a, offset(i0 + r, 0), (long) i1 * Float.BYTES);
        }
    }

    private static long rowOfInverseCost(int n, int nb, int iBlock) {
        int ib = rows(n, nb, iBlock);
        return (long) ib * (iBlock * nb + ib) * (n - iBlock * nb);
    }

    /** Copies each strictly-lower block (I, J) transposed into (J, I); one task per block row. */
    private void mirrorLowerTriangle(ParallelWork work) {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            int block = i;
            tasks.add(() -> {
                mirrorRow(block);
                return units((long) Math.min(n, (block + 1) * nb) * rows(n, nb, block));
            });
        }
        work.run(tasks);
    }

    private void mirrorRow(int iBlock) {
        Scratch s = scratch.get();
        int i0 = iBlock * nb;
        int ib = rows(n, nb, iBlock);
        for (int r = 0; r < ib; r++) { // row i0+r, columns [0, i0) become column i0+r of rows [0, i0)
            s.loadRow(a, offset(i0 + r, 0), i0);
            System.arraycopy(s.row, 0, s.transposed, r * i0, i0);
        }
        for (int c = 0; c < i0; c++) {
            for (int r = 0; r < ib; r++) {
                s.row[r] = s.transposed[r * i0 + c];
            }
            s.storeRow(a, offset(c, i0), ib);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int rows(int n, int nb, int block) {
        return Math.min(nb, n - block * nb);
    }

    private static long units(long multiplyAdds) {
        return Math.max(1, multiplyAdds >>> UNIT_SHIFT);
    }

    private long offset(int row, int col) {
        return ((long) row * n + col) * Float.BYTES;
    }

    private MemorySegment at(int row, int col) {
        return a.asSlice(offset(row, col));
    }

    private MemorySegment inverseOf(int block) {
        return lowerInverses.asSlice((long) block * nb * nb * Float.BYTES);
    }

    private float get(int row, int col) {
        return a.get(ValueLayout.JAVA_FLOAT, offset(row, col));
    }

    private void set(int row, int col, float value) {
        a.set(ValueLayout.JAVA_FLOAT, offset(row, col), value);
    }

    /** One worker thread's buffers: GEMM outputs off-heap, rows on the heap for vectorised loops. */
    private static final class Scratch {
        final MemorySegment product;
        final MemorySegment small;
        final float[] row;
        final float[] other;
        final float[] transposed;

        Scratch(Arena arena, int n, int nb) {
            product = arena.allocate((long) nb * n * Float.BYTES, 64);
            small = arena.allocate((long) nb * nb * Float.BYTES, 64);
            row = new float[Math.max(n, nb)];
            other = new float[Math.max(n, nb)];
            transposed = new float[nb * n];
        }

        void loadRow(MemorySegment from, long offset, int count) {
            MemorySegment.copy(from, ValueLayout.JAVA_FLOAT, offset, row, 0, count);
        }

        void loadOther(MemorySegment from, long offset, int count) {
            MemorySegment.copy(from, ValueLayout.JAVA_FLOAT, offset, other, 0, count);
        }

        void storeRow(MemorySegment to, long offset, int count) {
            MemorySegment.copy(row, 0, to, ValueLayout.JAVA_FLOAT, offset, count);
        }
    }
}

package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The packed int8 weight blob, byte for byte as {@code native/src/gemm.h} and docs/native.md
 * define it: a 64-byte header (magic "FNP8", layout version, n, k, n rounded up to 16, k
 * groups of 4, total bytes, FNV-1a check of bytes 0..31), n_pad int32 column sums, then
 * n_pad/16 blocks of k_groups 64-byte groups, each 16 columns x 4 consecutive k.
 *
 * <p>Threading: stateless static helpers.
 */
final class PackedWeights {

    static final int MAGIC = 0x38504E46; // "FNP8" little-endian
    static final int VERSION = 1;
    static final int HEADER_BYTES = 64;
    static final int BLOCK_COLS = 16;
    static final int GROUP_K = 4;
    static final int GROUP_BYTES = BLOCK_COLS * GROUP_K;
    /** Largest n whose padding to 16 columns still fits in an int. */
    static final int MAX_N = Integer.MAX_VALUE - (BLOCK_COLS - 1);

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private PackedWeights() {}

    static int nPad(int n) {
        return (int) (((long) n + BLOCK_COLS - 1) / BLOCK_COLS * BLOCK_COLS);
    }

    static int kGroups(int k) {
        return (int) (((long) k + GROUP_K - 1) / GROUP_K);
    }

    static long size(int n, int k) {
        long nPad = nPad(n);
        return HEADER_BYTES + 4 * nPad + nPad / BLOCK_COLS * kGroups(k) * GROUP_BYTES;
    }

    /** Byte offset of w[j][kk] in the blob. */
    static long offset(int n, int k, int j, int kk) {
        long blockBytes = (long) kGroups(k) * GROUP_BYTES;
        return HEADER_BYTES + 4L * nPad(n) + (j / BLOCK_COLS) * blockBytes + (long) (kk / GROUP_K) * GROUP_BYTES
                + 4L * (j % BLOCK_COLS) + kk % GROUP_K;
    }

    private static int fnv1a(MemorySegment blob, int bytes) {
        int h = 0x811C9DC5;
        for (int i = 0; i < bytes; i++) {
            h = (h ^ (blob.get(ValueLayout.JAVA_BYTE, i) & 0xFF)) * 16777619;
        }
        return h;
    }

    /** Writes the blob (size(n, k) bytes at the start of packed) for w: n rows of k bytes, ld apart. */
    static void pack(MemorySegment w, int n, int k, long ld, MemorySegment packed) {
        long total = size(n, k);
        MemorySegment blob = packed.asSlice(0, total);
        blob.fill((byte) 0);
        blob.set(I32, 0, MAGIC);
        blob.set(I32, 4, VERSION);
        blob.set(I32, 8, n);
        blob.set(I32, 12, k);
        blob.set(I32, 16, nPad(n));
        blob.set(I32, 20, kGroups(k));
        blob.set(I64, 24, total);
        blob.set(I32, 32, fnv1a(blob, 32));
        for (int j = 0; j < n; j++) {
            int sum = 0; // modulo 2^32, like the native column sums
            for (int kk = 0; kk < k; kk++) {
                byte v = w.get(ValueLayout.JAVA_BYTE, j * ld + kk);
                sum += v;
                blob.set(ValueLayout.JAVA_BYTE, offset(n, k, j, kk), v);
            }
            blob.set(I32, HEADER_BYTES + 4L * j, sum);
        }
    }

    /**
     * Checks that {@code packed} is a blob for exactly n x k weights and holds all of it (so
     * native code reading it stays inside the segment).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void check(String function, MemorySegment packed, int n, int k) {
        if (packed.byteSize() < HEADER_BYTES) {
            throw new IllegalArgumentException(function + ": packedW too small for a packed weight header ("
                    + packed.byteSize() + " bytes < " + HEADER_BYTES + ")");
        }
        int magic = packed.get(I32, 0);
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format(
                    "%s: packedW is not a packed weight blob (magic 0x%08x, expected 0x%08x \"FNP8\"; pack the weights "
                            + "with pack())", function, magic, MAGIC));
        }
        int version = packed.get(I32, 4);
        if (version != VERSION) {
            throw new IllegalArgumentException(function + ": packedW has layout version " + version
                    + " but this library reads version " + VERSION + "; re-pack the weights");
        }
        if (packed.get(I32, 32) != fnv1a(packed, 32)) {
            throw new IllegalArgumentException(function + ": packedW header is corrupt (checksum mismatch)");
        }
        int bn = packed.get(I32, 8);
        int bk = packed.get(I32, 12);
        if (bn < 1 || bn > MAX_N || bk < 1 || packed.get(I32, 16) != nPad(bn) || packed.get(I32, 20) != kGroups(bk)
                || packed.get(I64, 24) != size(bn, bk)) {
            throw new IllegalArgumentException(function + ": packedW header is inconsistent (n=" + bn + ", k=" + bk + ")");
        }
        if (bn != n || bk != k) {
            throw new IllegalArgumentException(function + ": packedW holds weights for n=" + bn + ", k=" + bk
                    + " but the call has n=" + n + ", k=" + k);
        }
        if (packed.byteSize() < size(n, k)) {
            throw new IllegalArgumentException(function + ": packedW too small: n=" + n + ", k=" + k + " needs "
                    + size(n, k) + " bytes but packedW.byteSize()=" + packed.byteSize());
        }
    }
}

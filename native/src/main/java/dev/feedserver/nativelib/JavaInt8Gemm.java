package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Pure-Java {@link Int8Gemm}: reads the same packed blob, accumulates exactly in int (wrapping
 * modulo 2^32 like the native paths) and runs the same epilogue arithmetic
 * ({@link EpilogueMath}), so its outputs are bit-identical to {@link NativeInt8Gemm}'s.
 * Accepts heap or native segments. Meant as the fallback and as an executable specification,
 * not for speed: each GEMM call unpacks the weights into an n x k array.
 *
 * <p>Threading: stateless and thread-safe.
 */
public final class JavaInt8Gemm implements Int8Gemm {

    /** The instance. */
    public static final JavaInt8Gemm INSTANCE = new JavaInt8Gemm();

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private JavaInt8Gemm() {}

    @Override
    public long packedSize(int n, int k) {
        if (n < 1 || n > PackedWeights.MAX_N || k < 1) {
            throw GemmChecks.fail("packedSize", "n must be in 1.." + PackedWeights.MAX_N + " and k >= 1 (got n=" + n
                    + ", k=" + k + ")");
        }
        return PackedWeights.size(n, k);
    }

    @Override
    public void pack(MemorySegment w, int n, int k, long ld, MemorySegment packed) {
        GemmChecks.pack("pack", w, n, k, ld, packed, false);
        PackedWeights.pack(w, n, k, ld, packed);
    }

    @Override
    public void gemmU8S8(MemorySegment a, long m, int k, long lda, int aZeroPoint, MemorySegment packedW, int n,
                         Epilogue ep, MemorySegment out, long ldo) {
        GemmChecks.gemm("gemmU8S8", a, m, k, lda, aZeroPoint, packedW, n, ep, out, ldo, false);
        gemm(a, m, k, lda, aZeroPoint, false, packedW, n, ep, out, ldo);
    }

    @Override
    public void gemmS8S8(MemorySegment a, long m, int k, long lda, MemorySegment packedW, int n, Epilogue ep,
                         MemorySegment out, long ldo) {
        GemmChecks.gemm("gemmS8S8", a, m, k, lda, 0, packedW, n, ep, out, ldo, false);
        gemm(a, m, k, lda, 0, true, packedW, n, ep, out, ldo);
    }

    private static void gemm(MemorySegment a, long m, int k, long lda, int zeroPoint, boolean signed,
                             MemorySegment packedW, int n, Epilogue ep, MemorySegment out, long ldo) {
        if (m == 0) {
            return;
        }
        byte[] w = new byte[Math.multiplyExact(n, k)];
        for (int j = 0; j < n; j++) {
            for (int kk = 0; kk < k; kk++) {
                w[j * k + kk] = packedW.get(ValueLayout.JAVA_BYTE, PackedWeights.offset(n, k, j, kk));
            }
        }
        int[] row = new int[k];
        Output output = ep.output();
        int lo = output == Output.S8 ? -128 : 0;
        int hi = output == Output.S8 ? 127 : 255;
        for (long i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                byte v = a.get(ValueLayout.JAVA_BYTE, i * lda + kk);
                row[kk] = (signed ? v : v & 0xFF) - zeroPoint;
            }
            float rowScale = ep.rowScale() == null ? 0f : ep.rowScale().getAtIndex(F32, i);
            for (int j = 0; j < n; j++) {
                int acc = 0; // int arithmetic wraps modulo 2^32, exactly like the native accumulators
                int base = j * k;
                for (int kk = 0; kk < k; kk++) {
                    acc += row[kk] * w[base + kk];
                }
                long at = i * ldo + j;
                if (output == Output.S32) {
                    out.set(I32, at * 4, acc);
                    continue;
                }
                float y = EpilogueMath.toFloat(acc, ep.rowScale() != null, rowScale, ep.colScale().getAtIndex(F32, j),
                        ep.bias() != null, ep.bias() == null ? 0f : ep.bias().getAtIndex(F32, j), ep.activation());
                if (output == Output.F32) {
                    out.set(F32, at * 4, y);
                } else {
                    out.set(ValueLayout.JAVA_BYTE, at,
                            (byte) EpilogueMath.requantize(y, ep.outScale(), ep.outZeroPoint(), lo, hi));
                }
            }
        }
    }

    @Override
    public void gemmF32(MemorySegment a, long m, int k, long lda, MemorySegment w, int n, long ldw, MemorySegment bias,
                        Activation activation, MemorySegment out, long ldo) {
        GemmChecks.gemmF32("gemmF32", a, m, k, lda, w, n, ldw, bias, activation, out, ldo, false);
        for (long i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int kk = 0; kk < k; kk++) {
                    sum += a.getAtIndex(F32, i * lda + kk) * w.getAtIndex(F32, (long) j * ldw + kk);
                }
                if (bias != null) {
                    sum = sum + bias.getAtIndex(F32, j);
                }
                out.setAtIndex(F32, i * ldo + j, EpilogueMath.activate(sum, activation));
            }
        }
    }
}

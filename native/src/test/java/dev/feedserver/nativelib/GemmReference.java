package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain-Java scalar reference for the int8 GEMM, written from the contract (feed_native.h and
 * docs/native.md), independently of the library's own JavaInt8Gemm/EpilogueMath.
 */
final class GemmReference {

    private GemmReference() {}

    /** acc[i*n + j] = sum_k (a[i][k] - zp) * w[j][k] with Java int (mod 2^32) arithmetic; a and w dense. */
    static int[] acc(byte[] a, boolean signed, int zp, byte[] w, int m, int n, int k) {
        int[] acc = new int[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (int kk = 0; kk < k; kk++) {
                    int av = signed ? a[i * k + kk] : (a[i * k + kk] & 0xFF) - zp;
                    s += av * w[j * k + kk];
                }
                acc[i * n + j] = s;
            }
        }
        return acc;
    }

    // ---- the canonical epilogue arithmetic (docs/native.md, "Epilogue") -----------------------

    static float min(float a, float b) {
        return a < b ? a : b;
    }

    static float max(float a, float b) {
        return a > b ? a : b;
    }

    static float roundHalfEven(float v) {
        return (v + 0x1.8p23f) - 0x1.8p23f;
    }

    static float exp(float x) {
        x = min(max(x, -87f), 88f);
        float n = roundHalfEven(x * 1.44269504088896341f);
        float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
        float z = r * r;
        float p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
                + 1.6666665459e-1f) * r + 5.0000001201e-1f;
        float e = ((p * z) + r) + 1f;
        return e * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    static float act(float y, Int8Gemm.Activation a) {
        switch (a) {
            case RELU:
                return y > 0 ? y : 0f;
            case SILU:
                return y / (1f + exp(-y));
            case GELU:
                return y / (1f + exp(-1.5957691216057308f * (y + 0.044715f * ((y * y) * y))));
            default:
                return y;
        }
    }

    /** The value stored for accumulator acc at (i, j) as raw bits: int for S32, float bits for F32, byte for S8/U8. */
    static int output(int acc, int i, int j, float[] rowScale, float[] colScale, float[] bias, Int8Gemm.Epilogue ep) {
        if (ep.output() == Int8Gemm.Output.S32) {
            return acc;
        }
        float y = (float) acc;
        if (rowScale != null) {
            y *= rowScale[i];
        }
        y *= colScale[j];
        if (bias != null) {
            y += bias[j];
        }
        y = act(y, ep.activation());
        if (ep.output() == Int8Gemm.Output.F32) {
            return Float.floatToRawIntBits(y);
        }
        float v = min(max(y / ep.outScale(), -512f), 512f);
        int q = (int) roundHalfEven(v) + ep.outZeroPoint();
        return ep.output() == Int8Gemm.Output.S8 ? Math.clamp(q, -128, 127) : Math.clamp(q, 0, 255);
    }

    /** Reads the stored output at (i, j) in the same raw form as {@link #output}. */
    static int read(MemorySegment out, long i, long j, long ldo, Int8Gemm.Output output) {
        long at = i * ldo + j;
        return switch (output) {
            case S32 -> out.get(ValueLayout.JAVA_INT_UNALIGNED, at * 4);
            case F32 -> Float.floatToRawIntBits(out.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at * 4));
            case S8 -> out.get(ValueLayout.JAVA_BYTE, at);
            case U8 -> out.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        };
    }

    /** True when both raw values are equal, or both are float NaNs (whose payload is unspecified). */
    static boolean same(int expected, int actual, Int8Gemm.Output output) {
        if (expected == actual) {
            return true;
        }
        return output == Int8Gemm.Output.F32 && Float.isNaN(Float.intBitsToFloat(expected))
                && Float.isNaN(Float.intBitsToFloat(actual));
    }
}

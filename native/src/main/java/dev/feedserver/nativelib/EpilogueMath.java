package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The canonical float math of the int8 GEMM epilogue and of the MLP's row quantization,
 * operation for operation as {@code native/src/gemm.h} spells it and every native path
 * computes it (Java float arithmetic never fuses or widens, so the results are the same bits).
 *
 * <p>Threading: stateless static helpers.
 */
final class EpilogueMath {

    static final float ROUND_MAGIC = 12582912.0f; // 1.5 * 2^23
    static final float EXP_LO = -87.0f;
    static final float EXP_HI = 88.0f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    static final float GELU_CUBE = 0.044715f;
    static final float GELU_C = -1.5957691216057308f; // -2 sqrt(2/pi)
    static final float REQUANT_CLAMP = 512.0f;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private EpilogueMath() {}

    /** minps: {@code a < b ? a : b} (b when either is NaN). */
    static float fmin(float a, float b) {
        return a < b ? a : b;
    }

    /** maxps: {@code a > b ? a : b} (b when either is NaN). */
    static float fmax(float a, float b) {
        return a > b ? a : b;
    }

    /** Round half to even, for {@code |v| <= 2^22}. */
    static float rne(float v) {
        float t = v + ROUND_MAGIC;
        return t - ROUND_MAGIC;
    }

    static float exp(float x) {
        x = fmax(x, EXP_LO);
        x = fmin(x, EXP_HI);
        float t = x * LOG2E;
        float n = rne(t);
        float r = x - n * LN2_HI;
        r = r - n * LN2_LO;
        float z = r * r;
        float p = P0;
        p = p * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        p = p * z;
        p = p + r;
        p = p + 1.0f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    static float activate(float y, Int8Gemm.Activation activation) {
        return switch (activation) {
            case NONE -> y;
            case RELU -> y > 0.0f ? y : 0.0f;
            case SILU -> y / (1.0f + exp(-y));
            case GELU -> {
                float y3 = (y * y) * y;
                float u = y + GELU_CUBE * y3;
                yield y / (1.0f + exp(GELU_C * u));
            }
        };
    }

    /** The float part of the epilogue: {@code y = ((float) acc * rowScale) * colScale + bias}, then act. */
    static float toFloat(int acc, boolean hasRowScale, float rowScale, float colScale, boolean hasBias, float bias,
                         Int8Gemm.Activation activation) {
        float y = (float) acc;
        if (hasRowScale) {
            y = y * rowScale;
        }
        y = y * colScale;
        if (hasBias) {
            y = y + bias;
        }
        return activate(y, activation);
    }

    /** S8/U8 requantization of y: {@code clamp(rint(clamp(y / scale, +-512)) + zeroPoint, lo, hi)}. */
    static int requantize(float y, float outScale, int outZeroPoint, int lo, int hi) {
        float v = y / outScale;
        v = fmax(v, -REQUANT_CLAMP);
        v = fmin(v, REQUANT_CLAMP);
        int q = (int) rne(v) + outZeroPoint;
        return q < lo ? lo : Math.min(q, hi);
    }

    /**
     * Symmetric per-row int8 quantization: scale = absmax / 127 (1 if the row is all zero; NaNs
     * never win the max), {@code q[c] = rint(max(min(x[c] / scale, 127), -127))}. Reads n floats
     * at byte offset {@code from} of src, writes n bytes at byte offset {@code to} of dst.
     *
     * @return the scale
     */
    static float quantizeRow(MemorySegment src, long from, int n, MemorySegment dst, long to) {
        float absmax = 0.0f;
        for (int c = 0; c < n; c++) {
            float v = Math.abs(src.get(F32, from + 4L * c));
            absmax = v > absmax ? v : absmax;
        }
        float scale = absmax > 0.0f ? absmax / 127.0f : 1.0f;
        for (int c = 0; c < n; c++) {
            float v = src.get(F32, from + 4L * c) / scale;
            v = fmin(v, 127.0f);
            v = fmax(v, -127.0f);
            dst.set(ValueLayout.JAVA_BYTE, to + c, (byte) (int) rne(v));
        }
        return scale;
    }
}

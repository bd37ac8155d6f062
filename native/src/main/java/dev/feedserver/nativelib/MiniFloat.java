package dev.feedserver.nativelib;

/**
 * Bit-exact scalar conversions between float and the narrow formats: OCP FP8 E4M3 / E5M2,
 * IEEE binary16 and bfloat16. The Java twin of {@code native/src/formats.cpp}, line for line
 * (integer arithmetic only, round to nearest even), so both backends produce the same bits.
 *
 * <p>Canonical NaNs (sign kept): float to E4M3 gives {@code 0x7F}, E5M2 {@code 0x7E}, f16
 * {@code 0x7E00}, bf16 {@code 0x7FC0}. Decoding a NaN gives a quiet float NaN with the sign and
 * the code's mantissa as the top payload bits ({@code 0x7FC00000 | sign} for E4M3); bf16 decodes
 * by a plain shift, payload and all.
 *
 * <p>Threading and lifecycle: the instances are immutable constants, safe from any thread.
 */
final class MiniFloat {

    static final MiniFloat E4M3 = new MiniFloat(8, 3, 7, 0x7E, 0x7F, 0);
    static final MiniFloat E5M2 = new MiniFloat(8, 2, 15, 0x7B, 0x7E, 0x7C);
    static final MiniFloat F16 = new MiniFloat(16, 10, 15, 0x7BFF, 0x7E00, 0x7C00);

    static final int BF16_NAN = 0x7FC0;

    private final int bits;
    private final int mant;
    private final int bias;
    private final int maxFinite; // magnitude codes (sign bit clear)
    private final int nan;
    private final int inf;       // 0: the format has no infinity (E4M3)
    private final int minNormalBits;
    private final float subnormalUnit;

    private MiniFloat(int bits, int mant, int bias, int maxFinite, int nan, int inf) {
        this.bits = bits;
        this.mant = mant;
        this.bias = bias;
        this.maxFinite = maxFinite;
        this.nan = nan;
        this.inf = inf;
        this.minNormalBits = (128 - bias) << 23;
        this.subnormalUnit = Math.scalb(1.0f, 1 - bias - mant);
    }

    /**
     * Float bits to a code (in the low {@code bits} bits): round to nearest even with an unbounded
     * exponent; a result above max finite becomes max finite ({@code saturate}), infinity (if the
     * format has one) or NaN.
     */
    int encode(int f, boolean saturate) {
        int sign = (f >>> 31) << (bits - 1);
        int a = f & 0x7FFFFFFF;
        if (a > 0x7F800000) {
            return sign | nan;
        }
        int r;
        if (a >= minNormalBits) {
            int sh = 23 - mant;
            int t = a - ((127 - bias) << 23);
            r = (t + ((1 << (sh - 1)) - 1) + ((t >>> sh) & 1)) >>> sh;
        } else {
            int e = a >>> 23;
            int m = e != 0 ? ((a & 0x7FFFFF) | 0x800000) : a;
            int s = Math.min(25, (151 - bias - mant) - (e != 0 ? e : 1));
            r = (m + ((1 << (s - 1)) - 1) + ((m >>> s) & 1)) >>> s;
        }
        if (r > maxFinite) {
            r = saturate ? maxFinite : (inf != 0 ? inf : nan);
        }
        return sign | r;
    }

    /** A code (low {@code bits} bits of {@code c}) to float bits, exact. */
    int decode(int c) {
        int mantMask = (1 << mant) - 1;
        int expMax = (1 << (bits - 1 - mant)) - 1;
        int sign = ((c >>> (bits - 1)) & 1) << 31;
        int mag = c & ((1 << (bits - 1)) - 1);
        int e = mag >>> mant;
        int m = mag & mantMask;
        if (inf == 0 ? mag == nan : e == expMax) {
            if (inf == 0) {
                return sign | 0x7FC00000; // E4M3's one NaN: the canonical float NaN
            }
            if (m == 0) {
                return sign | 0x7F800000;
            }
            return sign | 0x7FC00000 | (m << (23 - mant));
        }
        if (e == 0) {
            return sign | Float.floatToRawIntBits(m * subnormalUnit);
        }
        return sign | ((e + 127 - bias) << 23) | (m << (23 - mant));
    }

    /** Float bits to bfloat16 (low 16 bits), round to nearest even; NaN to {@code 0x7FC0 | sign}. */
    static int encodeBf16(int f) {
        if ((f & 0x7FFFFFFF) > 0x7F800000) {
            return ((f >>> 16) & 0x8000) | BF16_NAN;
        }
        return (f + 0x7FFF + ((f >>> 16) & 1)) >>> 16;
    }

    /** bfloat16 (low 16 bits of {@code c}) to float bits, exact. */
    static int decodeBf16(int c) {
        return c << 16;
    }
}

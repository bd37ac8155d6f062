package dev.feedserver.nativelib;

/**
 * The two OCP 8-bit floating-point formats ({@code enum fn_fp8_format} in feed_native.h).
 *
 * <p>Threading and lifecycle: immutable constants.
 */
public enum Fp8Format {
    /** 1-4-3, bias 7, no infinities, NaN = S.1111.111, max finite 448, min subnormal 2^-9. */
    E4M3(0, 448f, MiniFloat.E4M3),
    /** 1-5-2, bias 15, IEEE-like infinities and NaNs, max finite 57344, min subnormal 2^-16. */
    E5M2(1, 57344f, MiniFloat.E5M2);

    private final int code;
    private final float maxFinite;
    private final MiniFloat codec;

    Fp8Format(int code, float maxFinite, MiniFloat codec) {
        this.code = code;
        this.maxFinite = maxFinite;
        this.codec = codec;
    }

    /** The C enum value ({@code FN_FP8_E4M3} = 0, {@code FN_FP8_E5M2} = 1). */
    public int code() {
        return code;
    }

    /** The largest finite value (448 or 57344). */
    public float maxFinite() {
        return maxFinite;
    }

    MiniFloat codec() {
        return codec;
    }
}

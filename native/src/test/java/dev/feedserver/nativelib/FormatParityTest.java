package dev.feedserver.nativelib;

import static dev.feedserver.nativelib.FormatBackends.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native and Java conversions agree bit for bit on a few million floats (uniform bit patterns,
 * values near each format's range, and the specials), and both agree with independent
 * references: nearest-value search for FP8 and bf16, {@link Float#floatToFloat16} for f16.
 */
class FormatParityTest {

    private static final int N = 3_000_000;
    private static final int REFERENCE_SAMPLE = 200_000; // checked against the slow references

    private static Arena arena;
    private static MemorySegment input;

    @BeforeAll
    static void generate() {
        arena = Arena.ofShared();
        input = arena.allocate(N * 4L);
        SplittableRandom random = new SplittableRandom(0xF8F8L);
        int[] specials = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001,
            0xFF800001, 0x7FFFFFFF, 0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF,
            Float.floatToRawIntBits(448f), Float.floatToRawIntBits(464f), Float.floatToRawIntBits(57344f),
            Float.floatToRawIntBits(61440f), Float.floatToRawIntBits(65504f), Float.floatToRawIntBits(65520f)};
        for (int i = 0; i < N; i++) {
            int bits = switch (i % 4) {
                case 0 -> random.nextInt();                                   // anything, NaNs included
                case 1 -> (random.nextInt(2) << 31) | ((97 + random.nextInt(52)) << 23)
                        | random.nextInt(1 << 23);                            // |x| in [2^-30, 2^21)
                case 2 -> {                                                   // few mantissa bits: exact ties
                    int k = random.nextInt(12);                               // for every format, +-1 ulp
                    int mantissa = random.nextInt(1 << k) << (23 - k);
                    yield ((random.nextInt(2) << 31) | ((97 + random.nextInt(52)) << 23) | mantissa)
                            + random.nextInt(3) - 1;
                }
                default -> specials[random.nextInt(specials.length)] + random.nextInt(3) - 1;
            };
            input.setAtIndex(FormatBackends.I32, i, bits);
        }
    }

    @AfterAll
    static void free() {
        arena.close();
    }

    private interface Conversion {
        void run(NumberFormats formats, MemorySegment out);
    }

    /** Runs the conversion on both backends, fails on the first difference, returns the codes. */
    private static int[] both(long outBytesPerElement, boolean shorts, Conversion conversion) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment nativeOut = local.allocate(N * outBytesPerElement);
            MemorySegment javaOut = local.allocate(N * outBytesPerElement);
            conversion.run(NativeNumberFormats.INSTANCE, nativeOut);
            conversion.run(JavaNumberFormats.INSTANCE, javaOut);
            int[] codes = new int[N];
            for (int i = 0; i < N; i++) {
                int nat = shorts ? nativeOut.getAtIndex(FormatBackends.I16, i) & 0xFFFF : nativeOut.get(FormatBackends.I8, i) & 0xFF;
                int jav = shorts ? javaOut.getAtIndex(FormatBackends.I16, i) & 0xFFFF : javaOut.get(FormatBackends.I8, i) & 0xFF;
                if (nat != jav) {
                    fail("native " + hex(nat) + " != java " + hex(jav) + " for " + hex(bits(i)));
                }
                codes[i] = nat;
            }
            return codes;
        }
    }

    private static int bits(int i) {
        return input.getAtIndex(FormatBackends.I32, i);
    }

    @Test
    void fp8() {
        for (Fp8Format format : Fp8Format.values()) {
            for (boolean saturate : new boolean[] {true, false}) {
                int[] codes = both(1, false, (f, out) -> f.f32ToFp8(input, N, format, saturate, out));
                Fp8Reference reference = new Fp8Reference(format);
                for (int i = 0; i < REFERENCE_SAMPLE; i++) {
                    assertEquals(hex(reference.encode(Float.intBitsToFloat(bits(i)), saturate)), hex(codes[i]),
                            format + " saturate=" + saturate + " " + hex(bits(i)));
                }
            }
        }
    }

    @Test
    void bf16() {
        int[] codes = both(2, true, (f, out) -> f.f32ToBf16(input, N, out));
        for (int i = 0; i < REFERENCE_SAMPLE; i++) {
            assertEquals(hex(bf16Reference(bits(i))), hex(codes[i]), hex(bits(i)));
        }
    }

    @Test
    void f16() {
        int[] codes = both(2, true, (f, out) -> f.f32ToF16(input, N, out));
        for (int i = 0; i < N; i++) {
            float x = Float.intBitsToFloat(bits(i));
            int expected = Float.isNaN(x) ? (bits(i) >>> 16 & 0x8000) | 0x7E00 : Float.floatToFloat16(x) & 0xFFFF;
            if (expected != codes[i]) {
                assertEquals(hex(expected), hex(codes[i]), hex(bits(i)));
            }
        }
    }

    @Test
    void decodersAgreeOnRandomCodes() {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment nativeOut = local.allocate(N * 4L);
            MemorySegment javaOut = local.allocate(N * 4L);
            // The input's bytes and shorts are random codes of every kind.
            for (Fp8Format format : Fp8Format.values()) {
                NativeNumberFormats.INSTANCE.fp8ToF32(input, N, format, nativeOut);
                JavaNumberFormats.INSTANCE.fp8ToF32(input, N, format, javaOut);
                assertEquals(-1, nativeOut.mismatch(javaOut), format.toString());
            }
            NativeNumberFormats.INSTANCE.f16ToF32(input, N, nativeOut);
            JavaNumberFormats.INSTANCE.f16ToF32(input, N, javaOut);
            assertEquals(-1, nativeOut.mismatch(javaOut), "f16");
            NativeNumberFormats.INSTANCE.bf16ToF32(input, N, nativeOut);
            JavaNumberFormats.INSTANCE.bf16ToF32(input, N, javaOut);
            assertEquals(-1, nativeOut.mismatch(javaOut), "bf16");
        }
    }

    /** Nearest bf16 by comparing the two candidates' distances in double (exact), ties to even. */
    private static int bf16Reference(int bits) {
        float x = Float.intBitsToFloat(bits);
        int sign = bits >>> 16 & 0x8000;
        if (Float.isNaN(x)) {
            return sign | 0x7FC0;
        }
        if (Float.isInfinite(x)) {
            return sign | 0x7F80;
        }
        int low = (bits & 0x7FFFFFFF) >>> 16;       // magnitude truncated
        double a = Math.abs((double) x);
        double lowValue = Float.intBitsToFloat(low << 16);
        double highValue = low + 1 == 0x7F80 ? 0x1p128 : Float.intBitsToFloat((low + 1) << 16);
        double dLow = a - lowValue;
        double dHigh = highValue - a;
        int pick = dLow < dHigh ? low : dHigh < dLow ? low + 1 : (low % 2 == 0 ? low : low + 1);
        return sign | pick;
    }

    /**
     * FP8 encoding by search: the finite values come from the spec formula, the nearest one wins,
     * ties go to the even code; rounding past max finite (to the virtual next value) overflows.
     */
    private static final class Fp8Reference {
        private final double[] values; // magnitude code -> value, up to max finite plus one virtual step
        private final int maxCode;
        private final boolean e4m3;

        Fp8Reference(Fp8Format format) {
            e4m3 = format == Fp8Format.E4M3;
            int mant = e4m3 ? 3 : 2;
            int bias = e4m3 ? 7 : 15;
            maxCode = e4m3 ? 0x7E : 0x7B;
            values = new double[maxCode + 2];
            for (int c = 0; c <= maxCode + 1; c++) {
                int e = c >> mant;
                int m = c & ((1 << mant) - 1);
                values[c] = e == 0 ? m * Math.pow(2, 1 - bias - mant) : (1 + m / (double) (1 << mant)) * Math.pow(2, e - bias);
            }
        }

        int encode(float x, boolean saturate) {
            int sign = Float.floatToRawIntBits(x) >>> 24 & 0x80;
            if (Float.isNaN(x)) {
                return sign | (e4m3 ? 0x7F : 0x7E);
            }
            double a = Math.abs((double) x);
            int code;
            if (a >= values[maxCode + 1]) {
                code = maxCode + 1;
            } else {
                int low = 0;
                while (values[low + 1] <= a) {
                    low++;
                }
                double dLow = a - values[low];
                double dHigh = values[low + 1] - a;
                code = dLow < dHigh ? low : dHigh < dLow ? low + 1 : (low % 2 == 0 ? low : low + 1);
            }
            if (code > maxCode) {
                code = saturate ? maxCode : (e4m3 ? 0x7F : 0x7C);
            }
            return sign | code;
        }
    }
}

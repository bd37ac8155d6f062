package dev.feedserver.nativelib;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * int8 GEMM with packed weights and a fused epilogue, and the float reference GEMM
 * ({@code fn_pack_s8}, {@code fn_gemm_u8s8}, {@code fn_gemm_s8s8}, {@code fn_gemm_f32} in
 * {@code feed_native.h}; layout and math in docs/native.md).
 *
 * <p>{@code acc[i][j] = sum_k (a[i][k] - zeroPoint) * w[j][k]} is accumulated exactly in int32
 * (modulo 2^32, which is exact while {@code k <= 65793} for uint8 activations and
 * {@code k <= 131071} for int8 ones), then the {@link Epilogue} turns it into the output. Both
 * implementations -- {@link NativeInt8Gemm} on every kernel path and {@link JavaInt8Gemm} --
 * produce bit-identical outputs for every {@link Output}: the integer results trivially, the
 * float epilogue because every implementation performs the same IEEE operations in the same
 * order (NaN outputs are NaN, with unspecified payload). {@link #gemmF32} is a plain float
 * GEMM whose summation order, and so rounding, differs per implementation.
 *
 * <p>Matrices are row-major: {@code a} is m x k ({@code lda} elements between rows), the
 * weights are n x k (one row per output channel), the output is m x n ({@code ldo} elements of
 * the output type between rows). Arguments are validated in Java before any native call
 * ({@link IllegalArgumentException} naming the problem); the native implementation needs native
 * segments, the Java one takes any. Segments need no particular alignment.
 *
 * <p>Threading: implementations are stateless and thread-safe; concurrent calls may share
 * inputs but not outputs. Lifecycle: nothing to close; packed weights live in the caller's segment.
 */
public interface Int8Gemm {

    /** Activation applied by the epilogue; ordinals are the {@code FN_ACT_*} values. */
    enum Activation {
        /** Identity. */
        NONE,
        /** {@code max(y, 0)}. */
        RELU,
        /** {@code y / (1 + exp(-y))}. */
        SILU,
        /** GELU, tanh form: {@code 0.5 y (1 + tanh(sqrt(2/pi) (y + 0.044715 y^3)))}. */
        GELU
    }

    /** Output element type; ordinals are the {@code FN_OUT_*} values. */
    enum Output {
        /** The raw int32 accumulators. */
        S32(4),
        /** float. */
        F32(4),
        /** int8, requantized with {@code outScale} and {@code outZeroPoint}. */
        S8(1),
        /** uint8, requantized with {@code outScale} and {@code outZeroPoint}. */
        U8(1);

        private final int bytes;

        Output(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per output element. */
        public int bytes() {
            return bytes;
        }
    }

    /**
     * What happens to each accumulator {@code acc[i][j]}: S32 stores it; otherwise
     * {@code y = ((float) acc * rowScale[i]) * colScale[j] + bias[j]} (a null rowScale or bias is
     * skipped), then the activation; F32 stores y, S8/U8 store
     * {@code clamp(rint(y / outScale) + outZeroPoint)} to -128..127 / 0..255.
     *
     * @param rowScale     m floats, or null
     * @param colScale     n floats; required unless the output is S32
     * @param bias         n floats, or null
     * @param activation   the activation (NONE for S32)
     * @param output       the output type
     * @param outScale     S8/U8 only: finite and {@code > 0}
     * @param outZeroPoint S8/U8 only: -128..127 for S8, 0..255 for U8
     */
    record Epilogue(MemorySegment rowScale, MemorySegment colScale, MemorySegment bias, Activation activation,
                    Output output, float outScale, int outZeroPoint) {

        /** Requires non-null activation and output (the rest is checked per call). */
        public Epilogue {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(output, "output");
        }

        /** Raw int32 accumulators. */
        public static Epilogue s32() {
            return new Epilogue(null, null, null, Activation.NONE, Output.S32, 0f, 0);
        }

        /** Float output. */
        public static Epilogue f32(MemorySegment rowScale, MemorySegment colScale, MemorySegment bias,
                                   Activation activation) {
            return new Epilogue(rowScale, colScale, bias, activation, Output.F32, 0f, 0);
        }

        /** int8 output. */
        public static Epilogue s8(MemorySegment rowScale, MemorySegment colScale, MemorySegment bias,
                                  Activation activation, float outScale, int outZeroPoint) {
            return new Epilogue(rowScale, colScale, bias, activation, Output.S8, outScale, outZeroPoint);
        }

        /** uint8 output. */
        public static Epilogue u8(MemorySegment rowScale, MemorySegment colScale, MemorySegment bias,
                                  Activation activation, float outScale, int outZeroPoint) {
            return new Epilogue(rowScale, colScale, bias, activation, Output.U8, outScale, outZeroPoint);
        }
    }

    /** The implementation for {@link KernelBackend#current()}. */
    static Int8Gemm get() {
        return KernelBackend.current() == KernelBackend.NATIVE ? NativeInt8Gemm.INSTANCE : JavaInt8Gemm.INSTANCE;
    }

    /** The pure-Java implementation, whatever the backend (benchmarks compare against it). */
    static Int8Gemm pureJava() {
        return JavaInt8Gemm.INSTANCE;
    }

    /** Bytes of the packed blob for n x k weights ({@code n, k >= 1}). */
    long packedSize(int n, int k);

    /**
     * Packs n x k int8 weights ({@code ld} bytes between rows) into {@code packed} (at least
     * {@link #packedSize} bytes; 64-byte alignment is fastest). Done once, at model load.
     */
    void pack(MemorySegment w, int n, int k, long ld, MemorySegment packed);

    /**
     * uint8 activations: {@code acc = sum_k (a[i][k] - aZeroPoint) * w[j][k]}, then the epilogue.
     *
     * @param a          m x k bytes, {@code lda >= k} apart
     * @param m          rows, {@code >= 0}
     * @param k          inner dimension, {@code >= 1}; must equal the packed k
     * @param aZeroPoint 0..255
     * @param packedW    from {@link #pack} with the same n and k
     * @param n          output columns, {@code >= 1}
     * @param out        m rows of n output elements, {@code ldo >= n} elements apart
     * @throws IllegalArgumentException if an argument is invalid or a segment too small
     * @throws NativeException          if the native call fails
     */
    void gemmU8S8(MemorySegment a, long m, int k, long lda, int aZeroPoint, MemorySegment packedW, int n,
                  Epilogue ep, MemorySegment out, long ldo);

    /** As {@link #gemmU8S8} for int8 activations (zero point 0). */
    void gemmS8S8(MemorySegment a, long m, int k, long lda, MemorySegment packedW, int n, Epilogue ep,
                  MemorySegment out, long ldo);

    /**
     * Float GEMM: {@code out[i][j] = act(sum_k a[i][k] * w[j][k] + bias[j])}; w is n x k floats
     * {@code ldw} apart; bias (n floats) may be null; strides in floats.
     */
    void gemmF32(MemorySegment a, long m, int k, long lda, MemorySegment w, int n, long ldw, MemorySegment bias,
                 Activation activation, MemorySegment out, long ldo);
}

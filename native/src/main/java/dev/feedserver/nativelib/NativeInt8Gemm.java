package dev.feedserver.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link Int8Gemm} on libfeednative: every argument is checked in Java first (segments must be
 * native), then one downcall does the work on the current kernel path. A non-zero native
 * status becomes a {@link NativeException} with {@code fn_last_error()}.
 *
 * <p>Threading: stateless and thread-safe. Each GEMM call allocates its 40-byte
 * {@code fn_epilogue} in a confined arena (the call itself runs for micro- to milliseconds).
 */
public final class NativeInt8Gemm implements Int8Gemm {

    /** The instance. */
    public static final NativeInt8Gemm INSTANCE = new NativeInt8Gemm();

    private NativeInt8Gemm() {}

    @Override
    public long packedSize(int n, int k) {
        if (n < 1 || n > PackedWeights.MAX_N || k < 1) {
            throw GemmChecks.fail("packedSize", "n must be in 1.." + PackedWeights.MAX_N + " and k >= 1 (got n=" + n
                    + ", k=" + k + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Long.BYTES);
            NativeKernels.check(feed_native_h.fn_pack_s8_size(n, k, bytes));
            return bytes.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    public void pack(MemorySegment w, int n, int k, long ld, MemorySegment packed) {
        GemmChecks.pack("pack", w, n, k, ld, packed, true);
        NativeKernels.check(feed_native_h.fn_pack_s8(w, n, k, ld, packed, packed.byteSize()));
    }

    @Override
    public void gemmU8S8(MemorySegment a, long m, int k, long lda, int aZeroPoint, MemorySegment packedW, int n,
                         Epilogue ep, MemorySegment out, long ldo) {
        GemmChecks.gemm("gemmU8S8", a, m, k, lda, aZeroPoint, packedW, n, ep, out, ldo, true);
        if (m == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            NativeKernels.check(feed_native_h.fn_gemm_u8s8(a, m, k, lda, aZeroPoint, packedW, n, epilogue(ep, arena),
                    out, ldo));
        }
    }

    @Override
    public void gemmS8S8(MemorySegment a, long m, int k, long lda, MemorySegment packedW, int n, Epilogue ep,
                         MemorySegment out, long ldo) {
        GemmChecks.gemm("gemmS8S8", a, m, k, lda, 0, packedW, n, ep, out, ldo, true);
        if (m == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            NativeKernels.check(feed_native_h.fn_gemm_s8s8(a, m, k, lda, packedW, n, epilogue(ep, arena), out, ldo));
        }
    }

    @Override
    public void gemmF32(MemorySegment a, long m, int k, long lda, MemorySegment w, int n, long ldw, MemorySegment bias,
                        Activation activation, MemorySegment out, long ldo) {
        GemmChecks.gemmF32("gemmF32", a, m, k, lda, w, n, ldw, bias, activation, out, ldo, true);
        if (m == 0) {
            return;
        }
        NativeKernels.check(feed_native_h.fn_gemm_f32(a, m, k, lda, w, n, ldw, bias == null ? MemorySegment.NULL : bias,
                activation.ordinal(), out, ldo));
    }

    private static MemorySegment epilogue(Epilogue ep, Arena arena) {
        MemorySegment s = fn_epilogue.allocate(arena);
        fn_epilogue.row_scale(s, ep.rowScale() == null ? MemorySegment.NULL : ep.rowScale());
        fn_epilogue.col_scale(s, ep.colScale() == null ? MemorySegment.NULL : ep.colScale());
        fn_epilogue.bias(s, ep.bias() == null ? MemorySegment.NULL : ep.bias());
        fn_epilogue.activation(s, ep.activation().ordinal());
        fn_epilogue.output(s, ep.output().ordinal());
        fn_epilogue.out_scale(s, ep.outScale());
        fn_epilogue.out_zero_point(s, ep.outZeroPoint());
        return s;
    }
}
